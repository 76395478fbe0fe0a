#pragma once
// The scenario layer's side of StrategySettings: a strategy's parameters read from one TOML table
// with the loader's range checks, unknown-key checks and file:line:column errors.
#include "scenario/toml_section.hpp"
#include "strategies/strategy_settings.hpp"

namespace p2psim::scenario_detail {

class SectionSettings final : public StrategySettings {
 public:
  explicit SectionSettings(Section section) : section_(std::move(section)) {}

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
  Section section_;
};

}  // namespace p2psim::scenario_detail
