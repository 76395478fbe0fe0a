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

// The top of a page: `title` as its heading, `description` under it when not empty, and the
// opening of the list of facts that header_item fills; "</dl></header>" closes it.
std::string header_open(std::string_view title, std::string_view description);

// One fact of a page's header, e.g. "seed" and "11".
std::string header_item(std::string_view term, std::string_view value);

}  // namespace p2psim
