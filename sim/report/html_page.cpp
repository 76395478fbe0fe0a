#include "report/html_page.hpp"

#include <fmt/format.h>

#include "report/svg_chart.hpp"

namespace p2psim {
namespace {

constexpr std::string_view kStyle = R"(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
       max-width: 1340px; padding: 16px 24px; color: #1a1a1a; background: #fff; }
h1 { font-size: 1.5rem; margin: 0 0 4px; } h2 { font-size: 1.2rem; margin: 28px 0 8px;
     border-bottom: 1px solid #ccc; padding-bottom: 4px; }
.description, .note { color: #444; margin: 4px 0 8px; }
dl.run { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 8px 0; }
dl.run div { display: flex; gap: 6px; } dt { color: #666; } dd { margin: 0; font-weight: 600; }
.decision { font-size: 1.1rem; font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 16px; }
figure.chart { margin: 0; border: 1px solid #e2e2e2; border-radius: 4px; padding: 8px; }
figcaption { font-weight: 600; font-size: 0.9rem; margin-bottom: 4px; }
figure.chart svg { width: 100%; height: auto; display: block; }
svg text { fill: #333; } svg .axis-label { fill: #111; font-weight: 600; }
svg .grid { stroke: #e6e6e6; stroke-width: 1; } svg .zero { stroke: #888; stroke-dasharray: 4 3; }
svg .band { opacity: 0.18; } svg .line { fill: none; stroke-width: 2; }
svg .whisker { stroke: #222; stroke-width: 1.2; fill: none; } svg .value { font-size: 10px; }
ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 0;
            margin: 4px 0 0; font-size: 0.85rem; }
.swatch { display: inline-block; width: 12px; height: 12px; margin-right: 4px;
          vertical-align: -1px; border-radius: 2px; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 8px 0; }
th, td { border-bottom: 1px solid #eee; padding: 3px 10px; text-align: right; }
th:first-child, tbody th { text-align: left; font-weight: normal; font-family: monospace; }
thead th { font-weight: 600; border-bottom: 1px solid #999; }
.wide { overflow-x: auto; } table.sweep td { white-space: nowrap; }
)";

// Runs first: records any script error of the page, so the check below can report it.
constexpr std::string_view kErrorRecorder = R"(<script>
window.reportErrors = [];
window.addEventListener("error", function (event) { window.reportErrors.push(String(event.message)); });
</script>
)";

// Runs last: marks each chart that drew a visible SVG with data in it, then the page as a whole
// ("ok" only if every chart did and no script error happened). Browser tests read these marks.
constexpr std::string_view kRenderCheck = R"(<script>
(function () {
  var figures = document.querySelectorAll("figure.chart");
  var rendered = 0;
  figures.forEach(function (figure) {
    var svg = figure.querySelector("svg");
    var box = svg ? svg.getBoundingClientRect() : null;
    var drawn = svg && box.width > 0 && box.height > 0 && svg.querySelectorAll("[data-mark]").length > 0;
    figure.setAttribute("data-rendered", drawn ? "yes" : "no");
    if (drawn) rendered += 1;
  });
  var root = document.documentElement;
  root.setAttribute("data-charts-rendered", String(rendered));
  root.setAttribute("data-script-errors", String(window.reportErrors.length));
  var planned = Number(root.getAttribute("data-charts-planned"));
  var ok = rendered === figures.length && rendered === planned && window.reportErrors.length === 0;
  root.setAttribute("data-report-status", ok ? "ok" : "failed");
})();
</script>
)";

std::size_t count_charts(std::string_view body) {
  std::size_t count = 0;
  for (std::size_t at = body.find("<figure class=\"chart\""); at != std::string::npos;
       at = body.find("<figure class=\"chart\"", at + 1)) {
    ++count;
  }
  return count;
}

}  // namespace

std::string header_open(std::string_view title, std::string_view description) {
  std::string html = fmt::format("<header><h1>{}</h1>\n", html_escape(title));
  if (!description.empty()) {
    html += fmt::format("<p class=\"description\">{}</p>\n", html_escape(description));
  }
  return html + "<dl class=\"run\">";
}

std::string header_item(std::string_view term, std::string_view value) {
  return fmt::format("<div><dt>{}</dt><dd>{}</dd></div>", html_escape(term), html_escape(value));
}

std::string html_page(std::string_view title, std::string_view body) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\" data-charts-planned=\"{}\">\n<head>\n"
      "<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n<title>{}</title>\n<style>{}</style>\n{}</head>\n"
      "<body>\n{}{}</body>\n</html>\n",
      count_charts(body), html_escape(title), kStyle, kErrorRecorder, body, kRenderCheck);
}

}  // namespace p2psim
