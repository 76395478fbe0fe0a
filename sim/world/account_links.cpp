#include "world/account_links.hpp"

#include <cassert>
#include <utility>

namespace p2psim {

void AccountLinks::reserve(std::size_t accounts) {
  accounts_.reserve(accounts);
  device_since_.reserve(accounts);
  devices_.reserve(accounts);
  bank_accounts_.reserve(accounts);
}

DeviceId AccountLinks::new_device() {
  devices_.push_back(Sharing{});
  return static_cast<DeviceId>(devices_.size() - 1);
}

BankAccountId AccountLinks::new_bank_account() {
  bank_accounts_.push_back(Sharing{});
  return static_cast<BankAccountId>(bank_accounts_.size() - 1);
}

LinkedAccountId AccountLinks::add_account(DeviceId device, BankAccountId bank_account) {
  assert(device < devices_.size() && bank_account < bank_accounts_.size());
  const auto account = static_cast<LinkedAccountId>(accounts_.size());
  accounts_.push_back({account, 1, device, bank_account});
  device_since_.push_back(0.0f);
  link_through(devices_[device], account);
  link_through(bank_accounts_[bank_account], account);
  return account;
}

void AccountLinks::link_through(Sharing& sharing, LinkedAccountId account) {
  if (sharing.accounts == 0) {
    sharing.member = account;
  } else {
    join(sharing.member, account);
  }
  ++sharing.accounts;
}

std::uint32_t AccountLinks::cluster_size(LinkedAccountId account) const {
  return accounts_[root(account)].size;
}

std::uint32_t AccountLinks::accounts_on_device(LinkedAccountId account) const {
  return devices_[accounts_[account].device].accounts;
}

std::uint32_t AccountLinks::accounts_on_bank_account(LinkedAccountId account) const {
  return bank_accounts_[accounts_[account].bank_account].accounts;
}

LinkedAccountId AccountLinks::root(LinkedAccountId account) const {
  // Union by size keeps trees O(log n) deep even where queries do not compress them.
  while (accounts_[account].parent != account)
    account = accounts_[account].parent;
  return account;
}

LinkedAccountId AccountLinks::compress(LinkedAccountId account) {
  while (accounts_[account].parent != account) {
    LinkedAccountId& parent = accounts_[account].parent;
    parent = accounts_[parent].parent;  // path halving
    account = parent;
  }
  return account;
}

void AccountLinks::join(LinkedAccountId a, LinkedAccountId b) {
  a = compress(a);
  b = compress(b);
  if (a == b) return;
  if (accounts_[a].size < accounts_[b].size) std::swap(a, b);
  accounts_[b].parent = a;
  accounts_[a].size += accounts_[b].size;
}

}  // namespace p2psim
