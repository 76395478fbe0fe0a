#pragma once
// Reading a page the way the report tests do: the attributes of the elements that match a
// pattern, to compare a chart's or a table's data- attributes with the files behind it.
#include <map>
#include <regex>
#include <string>
#include <vector>

namespace p2psim {

// Every attribute `name="..."` of the elements matching `element_pattern`, in page order.
inline std::vector<std::map<std::string, std::string>> elements(
    const std::string& html, const std::string& element_pattern) {
  std::vector<std::map<std::string, std::string>> found;
  const std::regex element(element_pattern);
  const std::regex attribute(R"re(([a-z-]+)="([^"]*)")re");
  for (auto match = std::sregex_iterator(html.begin(), html.end(), element);
       match != std::sregex_iterator(); ++match) {
    std::map<std::string, std::string> attributes;
    const std::string text = match->str();
    for (auto pair = std::sregex_iterator(text.begin(), text.end(), attribute);
         pair != std::sregex_iterator(); ++pair) {
      attributes[(*pair)[1]] = (*pair)[2];
    }
    found.push_back(attributes);
  }
  return found;
}

}  // namespace p2psim
