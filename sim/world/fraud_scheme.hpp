#pragma once
// How the fraudsters of one typology operate: one object per FraudTypology behind one interface,
// in place of switches over the typology. Schemes hold no state: what fraudsters have learnt
// lives in Fraudsters, which the scheme acts through. docs/model.md gives the equations.
//
// Each typology has its own file, world/fraud_<name>.cpp: its scheme, its default settings and
// the loss bearers it allows. Its line in metrics/fraud_typology.hpp registers it.
#include <cstdint>
#include <span>

#include "core/time.hpp"
#include "world/agents.hpp"

namespace p2psim {

class Fraudsters;

class FraudScheme {
 public:
  virtual ~FraudScheme() = default;

  // The scheme of a typology.
  static const FraudScheme& of(FraudTypology typology);
  static const FraudScheme& of(UserIntent intent) { return of(intent.typology()); }

  // The typology's settings where a scenario leaves them out.
  virtual FraudTypologyConfig default_settings() const { return {}; }
  // Who may bear the typology's losses (`bearer`): whoever lost the money, or the platform
  // compensating them.
  virtual std::span<const LossBearer> allowed_bearers() const;

  // The default chance that the typology's fraudster fails a step-up verification.
  virtual double step_up_fail_probability() const { return 0.5; }

  // The typology's daily arrival in `market`: an account, a sybil ring, a merchant turning.
  virtual void arrive(std::uint16_t market, FraudTypology typology, Fraudsters& fraud) const;
  // When the account attacks next, after `from`.
  virtual Seconds next_attempt(User& user, Seconds from, const FraudTypologyConfig& settings) const;
  // The size of the account's next order before adaptation splits it.
  virtual double order_usd(User& user, const FraudTypologyConfig& settings) const;
  // Gives a new account what the typology needs of it: a side, an age.
  virtual void shape_account(User& user, double& created_day,
                             const FraudTypologyConfig& settings) const;
  // The fraudulent order `id` completed: books the loss once it is certain and plans how the
  // platform learns of it.
  virtual void on_completed(OrderId id, Order& order, Fraudsters& fraud) const = 0;

  // Does the order's buyer send real fiat when marking it paid?
  virtual bool pays_fiat(const Order& order) const;
  // Does the order's merchant keep a buyer's fiat without ever releasing?
  virtual bool never_releases() const { return false; }
  // Does support learn of the fraud when it settles the order's appeal?
  virtual bool revealed_at_appeal() const { return false; }
  // Does the fraud need a payment method that can be reversed (a chargeback)?
  virtual bool needs_reversible_method() const { return false; }
  // Is the victim a user whose USDT left the platform, so that compensation is paid outside?
  virtual bool pays_victim_outside() const { return false; }
  // When the fraud surfaces, does the order's state go back (a reversal, not a seizure)?
  virtual bool reverses_order() const { return true; }
  // Is the loss a payout already in the net revenue (a farmed bonus)?
  virtual bool loss_is_payout() const { return false; }
  // Is the account a genuine user's, taken over with its trading history?
  virtual bool takes_over_genuine_account() const { return false; }
};

// Defined in each typology's own file.
template <FraudTypology kTypology>
const FraudScheme& scheme_of();

}  // namespace p2psim
