#include "cli/progress_line.hpp"

#include <fmt/format.h>
#include <cmath>

namespace p2psim {

std::string duration_text(double seconds) {
  auto whole = static_cast<std::uint64_t>(std::ceil(std::max(0.0, seconds)));
  if (whole < 60) return fmt::format("{} s", whole);
  if (whole < 3600) return fmt::format("{} min {:02} s", whole / 60, whole % 60);
  return fmt::format("{} h {:02} min", whole / 3600, whole % 3600 / 60);
}

std::string progress_text(const RunProgress& progress, double elapsed_seconds) {
  const double share =
      progress.days == 0 ? 1.0 : static_cast<double>(progress.days_done) / progress.days;
  std::string text = fmt::format("  replications {}/{}, simulated days {}/{} ({:.0f}%)",
                                 progress.replications_done, progress.replications,
                                 progress.days_done, progress.days, std::floor(share * 100.0));
  if (progress.days_done == 0 || elapsed_seconds <= 0.0) return text;
  const double rate = progress.days_done / elapsed_seconds;
  text += rate >= 1.0 ? fmt::format(", {:.1f} days/s", rate) : fmt::format(", {:.2f} days/s", rate);
  if (progress.days_done < progress.days) {
    text +=
        fmt::format(", about {} left", duration_text((progress.days - progress.days_done) / rate));
  } else {
    text += fmt::format(", done in {}", duration_text(elapsed_seconds));
  }
  return text;
}

ProgressLine::ProgressLine(std::FILE* out)
    : out_(out), start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

void ProgressLine::update(const RunProgress& progress) {
  using namespace std::chrono;
  const auto now = steady_clock::now();
  const bool last = progress.replications_done >= progress.replications;
  if (!last && progress.days_done > 1 && now - last_draw_ < milliseconds(100)) return;
  last_draw_ = now;
  std::string text = progress_text(progress, duration<double>(now - start_).count());
  // Pad with spaces over the end of a longer previous line.
  const std::size_t width = text.size();
  if (width < last_width_) text.append(last_width_ - width, ' ');
  last_width_ = width;
  std::fprintf(out_, "\r%s%s", text.c_str(), last ? "\n" : "");
  std::fflush(out_);
}

}  // namespace p2psim
