#pragma once
// Risk strategies by name. A scenario lists the ones it uses in markets.<code>.risk.strategies;
// each reads its own key of that table. Adding one: a new file with its factory, plus one line
// in kStrategies (registry.cpp). docs/strategies.md has a worked example.
#include <memory>
#include <string>
#include <vector>

#include "strategies/strategy_settings.hpp"
#include "world/risk_policy.hpp"

namespace p2psim {

using StrategyFactory = std::unique_ptr<RiskPolicy> (*)(StrategySettings& settings,
                                                        const StrategyContext& context);

// The settings a strategy declares in a SettingKey list; a strategy whose settings depend on
// one another (rules) reads them by hand and has none.
using SettingDeclarations = std::vector<SettingDeclaration> (*)();

struct StrategyEntry {
  const char* name;
  StrategyFactory make;
  SettingDeclarations settings = nullptr;
};

const std::vector<StrategyEntry>& strategy_registry();
std::vector<std::string> strategy_names();

// The named strategies combined in the given order (docs/strategies.md): the first block wins;
// otherwise the action of highest precedence (block > review > step_up > limit > hold > allow),
// the smallest limit among limits and the longest hold among holds. Null when `names` is empty.
// Unknown names are the caller's to report (see strategy_names()).
std::shared_ptr<const RiskPolicy> build_risk_policy(const std::vector<std::string>& names,
                                                    StrategySettings& settings,
                                                    const StrategyContext& context);

}  // namespace p2psim
