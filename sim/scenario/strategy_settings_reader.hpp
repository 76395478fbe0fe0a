#pragma once
// The scenario layer's side of StrategySettings: a strategy's parameters read from one TOML table
// with the loader's range checks, unknown-key checks and file:line:column errors. Every value read
// is recorded, default included, for the resolved scenario and its hash: a key a strategy reads
// is a key the hash covers, without a list to keep in step.
#include <string>
#include <vector>

#include "scenario/toml_section.hpp"
#include "strategies/strategy_settings.hpp"
#include "world/world_config.hpp"

namespace p2psim::scenario_detail {

class SectionSettings final : public StrategySettings {
 public:
  // Values read are appended to `resolved`, keyed by their path below `prefix`.
  SectionSettings(Section section, std::vector<ResolvedSetting>& resolved, std::string prefix = "")
      : section_(std::move(section)), resolved_(&resolved), prefix_(std::move(prefix)) {}

  void read(std::string_view key, double& target, double low, double high) override;
  void read(std::string_view key, std::string& target) override;
  std::vector<std::unique_ptr<StrategySettings>> entries(std::string_view key) override;
  std::unique_ptr<StrategySettings> table(std::string_view key) override;
  std::vector<std::pair<std::string, double>> all_numbers(double low, double high) override;
  void require(std::string_view key) override { section_.require(key); }
  void finish() override { section_.finish(); }
  std::string closest(std::string_view unknown,
                      const std::vector<std::string>& known) const override {
    return closest_key(unknown, known);
  }

  Section& section() { return section_; }

 protected:
  void raise(std::string_view key, std::size_t offset, const std::string& message) const override;

 private:
  void record(std::string_view key, std::variant<double, std::string> value);

  Section section_;
  std::vector<ResolvedSetting>* resolved_;
  std::string prefix_;
};

}  // namespace p2psim::scenario_detail
