#pragma once
// The links between accounts that share a device or a bank account: the identity clusters a
// risk engine sees. Accounts are added one at a time with the device and bank account they use;
// accounts sharing either are merged into one cluster (union-find by size with path halving),
// so every query is near constant time and adding an account costs amortised growth only.
//
// Device and bank account ids are chosen by the caller: new_device() and new_bank_account()
// hand out fresh ones, and passing an id again links the new account to every account that
// used it before (a household sharing a phone, a fraud ring reusing its devices).
#include <cstdint>
#include <vector>

namespace p2psim {

using LinkedAccountId = std::uint32_t;
using DeviceId = std::uint32_t;
using BankAccountId = std::uint32_t;

class AccountLinks {
 public:
  // Makes room for `accounts` accounts (and as many devices and bank accounts) up front.
  void reserve(std::size_t accounts);
  // What one account takes: its record, its device date, a device's and a bank account's share.
  static constexpr std::size_t bytes_per_account();

  DeviceId new_device();
  BankAccountId new_bank_account();

  // Adds an account using `device` and `bank_account`, both issued by new_device() and
  // new_bank_account(). Ids are dense, in the order of adding, from 0.
  LinkedAccountId add_account(DeviceId device, BankAccountId bank_account);

  std::size_t account_count() const { return accounts_.size(); }
  // Accounts linked to `account` through any chain of shared devices and bank accounts,
  // itself included.
  std::uint32_t cluster_size(LinkedAccountId account) const;
  // Accounts using the device of `account`, itself included.
  std::uint32_t accounts_on_device(LinkedAccountId account) const;
  // Accounts paying from the bank account of `account`, itself included.
  std::uint32_t accounts_on_bank_account(LinkedAccountId account) const;
  DeviceId device_of(LinkedAccountId account) const { return accounts_[account].device; }
  // The day (since day 0, negative before) the account started using its device: the risk
  // feature days_since_device_change. Kept apart from the links, read only when a policy asks.
  void set_device_since(LinkedAccountId account, float day) { device_since_[account] = day; }
  float device_since(LinkedAccountId account) const { return device_since_[account]; }
  BankAccountId bank_account_of(LinkedAccountId account) const {
    return accounts_[account].bank_account;
  }
  // Starts loading what cluster_size and accounts_on_device read first.
  void prefetch(LinkedAccountId account) const { __builtin_prefetch(&accounts_[account]); }
  // The second step, once the account's record has arrived: its device and its parent.
  void prefetch_links(LinkedAccountId account) const {
    const Account& record = accounts_[account];
    __builtin_prefetch(&devices_[record.device]);
    __builtin_prefetch(&accounts_[record.parent]);
  }
  bool same_cluster(LinkedAccountId a, LinkedAccountId b) const { return root(a) == root(b); }
  // The cluster's id: one of its accounts, the same for all of them (until clusters merge).
  LinkedAccountId cluster_of(LinkedAccountId account) const { return root(account); }

 private:
  // Accounts using one device or one bank account: any member (to link new ones to) and how many.
  struct Sharing {
    LinkedAccountId member;
    std::uint32_t accounts = 0;
  };

  LinkedAccountId root(LinkedAccountId account) const;
  LinkedAccountId compress(LinkedAccountId account);
  void join(LinkedAccountId a, LinkedAccountId b);
  void link_through(Sharing& sharing, LinkedAccountId account);

  // One record per account, so that a risk decision reading an account's cluster and device
  // touches one cache line for it (most accounts are their own cluster's root).
  struct Account {
    LinkedAccountId parent;
    std::uint32_t size;  // accounts in the cluster, valid at roots
    DeviceId device;
    BankAccountId bank_account;
  };

  std::vector<Account> accounts_;
  std::vector<float> device_since_;  // by account, 0 until set
  std::vector<Sharing> devices_;
  std::vector<Sharing> bank_accounts_;
};

constexpr std::size_t AccountLinks::bytes_per_account() {
  return sizeof(Account) + sizeof(float) + 2 * sizeof(Sharing);
}

}  // namespace p2psim
