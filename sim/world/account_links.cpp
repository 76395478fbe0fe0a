#include "world/account_links.hpp"

#include <cassert>
#include <utility>

namespace p2psim {

void AccountLinks::reserve(std::size_t accounts) {
  parent_.reserve(accounts);
  size_.reserve(accounts);
  device_of_.reserve(accounts);
  bank_account_of_.reserve(accounts);
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
  const auto account = static_cast<LinkedAccountId>(parent_.size());
  parent_.push_back(account);
  size_.push_back(1);
  device_of_.push_back(device);
  bank_account_of_.push_back(bank_account);
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
  return size_[root(account)];
}

std::uint32_t AccountLinks::accounts_on_device(LinkedAccountId account) const {
  return devices_[device_of_[account]].accounts;
}

std::uint32_t AccountLinks::accounts_on_bank_account(LinkedAccountId account) const {
  return bank_accounts_[bank_account_of_[account]].accounts;
}

LinkedAccountId AccountLinks::root(LinkedAccountId account) const {
  // Union by size keeps trees O(log n) deep even where queries do not compress them.
  while (parent_[account] != account)
    account = parent_[account];
  return account;
}

LinkedAccountId AccountLinks::compress(LinkedAccountId account) {
  while (parent_[account] != account) {
    parent_[account] = parent_[parent_[account]];  // path halving
    account = parent_[account];
  }
  return account;
}

void AccountLinks::join(LinkedAccountId a, LinkedAccountId b) {
  a = compress(a);
  b = compress(b);
  if (a == b) return;
  if (size_[a] < size_[b]) std::swap(a, b);
  parent_[b] = a;
  size_[a] += size_[b];
}

}  // namespace p2psim
