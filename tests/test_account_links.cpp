// The link graph between accounts sharing devices or bank accounts: cluster sizes against a
// brute-force flood fill, per-device and per-bank-account counts, and rings reusing devices.
#include "world/account_links.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "core/random_stream.hpp"

namespace p2psim {
namespace {

TEST(AccountLinks, AccountsAloneAreClustersOfOne) {
  AccountLinks links;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(links.add_account(links.new_device(), links.new_bank_account()),
              static_cast<LinkedAccountId>(i));
  }
  for (LinkedAccountId a = 0; a < 5; ++a) {
    EXPECT_EQ(links.cluster_size(a), 1u);
    EXPECT_EQ(links.accounts_on_device(a), 1u);
    EXPECT_EQ(links.accounts_on_bank_account(a), 1u);
  }
  EXPECT_FALSE(links.same_cluster(0, 1));
}

TEST(AccountLinks, SharedDeviceAndBankAccountChainIntoOneCluster) {
  AccountLinks links;
  DeviceId phone = links.new_device();
  BankAccountId bank = links.new_bank_account();
  LinkedAccountId a = links.add_account(phone, links.new_bank_account());
  LinkedAccountId b = links.add_account(phone, bank);               // a-b by device
  LinkedAccountId c = links.add_account(links.new_device(), bank);  // b-c by bank
  LinkedAccountId d = links.add_account(links.new_device(), links.new_bank_account());
  EXPECT_EQ(links.cluster_size(a), 3u);
  EXPECT_EQ(links.cluster_size(c), 3u);
  EXPECT_TRUE(links.same_cluster(a, c));  // linked only through b
  EXPECT_EQ(links.cluster_size(d), 1u);
  EXPECT_EQ(links.accounts_on_device(a), 2u);
  EXPECT_EQ(links.accounts_on_device(c), 1u);
  EXPECT_EQ(links.accounts_on_bank_account(c), 2u);
  EXPECT_EQ(links.accounts_on_bank_account(a), 1u);
  EXPECT_EQ(links.device_of(b), phone);
  EXPECT_EQ(links.bank_account_of(b), bank);
}

// A fraud ring reuses its few devices across many accounts: one cluster of the ring's size.
TEST(AccountLinks, RingReusingDevicesFormsOneCluster) {
  AccountLinks links;
  std::vector<DeviceId> ring_devices = {links.new_device(), links.new_device(), links.new_device()};
  BankAccountId mule = links.new_bank_account();
  links.add_account(links.new_device(), links.new_bank_account());  // a bystander
  LinkedAccountId first = 0;
  for (int i = 0; i < 30; ++i) {
    // Accounts on different devices join through the one mule bank account.
    LinkedAccountId id = links.add_account(ring_devices[i % 3], mule);
    if (i == 0) first = id;
  }
  EXPECT_EQ(links.cluster_size(first), 30u);
  EXPECT_EQ(links.accounts_on_device(first), 10u);
  EXPECT_EQ(links.accounts_on_bank_account(first), 30u);
  EXPECT_EQ(links.cluster_size(0), 1u);
}

// Random sharing against a flood fill over the explicit graph.
TEST(AccountLinks, ClusterSizesMatchAFloodFill) {
  RandomStream stream(77, 0, StreamId{0, 1});
  AccountLinks links;
  std::vector<DeviceId> devices;
  std::vector<BankAccountId> banks;
  const int n = 2000;
  for (int i = 0; i < n; ++i) {
    bool reuse_device = !devices.empty() && bernoulli(stream, 0.2);
    bool reuse_bank = !banks.empty() && bernoulli(stream, 0.1);
    DeviceId device = reuse_device ? devices[stream() % devices.size()] : links.new_device();
    BankAccountId bank = reuse_bank ? banks[stream() % banks.size()] : links.new_bank_account();
    if (!reuse_device) devices.push_back(device);
    if (!reuse_bank) banks.push_back(bank);
    links.add_account(device, bank);
  }
  std::vector<int> component(n, -1);
  std::vector<int> component_size;
  for (int start = 0; start < n; ++start) {
    if (component[start] >= 0) continue;
    const int label = static_cast<int>(component_size.size());
    component_size.push_back(0);
    std::vector<int> stack = {start};
    component[start] = label;
    while (!stack.empty()) {
      int a = stack.back();
      stack.pop_back();
      ++component_size[label];
      for (int b = 0; b < n; ++b) {
        if (component[b] >= 0) continue;
        if (links.device_of(a) == links.device_of(b) ||
            links.bank_account_of(a) == links.bank_account_of(b)) {
          component[b] = label;
          stack.push_back(b);
        }
      }
    }
  }
  for (int a = 0; a < n; ++a) {
    ASSERT_EQ(links.cluster_size(a), static_cast<std::uint32_t>(component_size[component[a]]))
        << "account " << a;
  }
  EXPECT_LT(component_size.size(), static_cast<std::size_t>(n));  // some accounts did link
}

}  // namespace
}  // namespace p2psim
