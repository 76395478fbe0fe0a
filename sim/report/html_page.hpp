#pragma once
// The page every HTML file of p2psim shares (report.html, the model and profile pages): one
// style, no script library and no network, and the marks the browser test reads: each chart
// drawn with data (data-rendered) and the page as a whole (data-report-status "ok" when every
// planned chart drew and no script failed).
#include <string>
#include <string_view>

namespace p2psim {

// A complete HTML document titled `title` around `body` (escaped by the caller).
std::string html_page(std::string_view title, std::string_view body);

}  // namespace p2psim
