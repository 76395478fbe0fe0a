// Question: which gzip compressor keeps the labelled export off the run's critical path? zlib at
// level 1 against ISA-L at level 1 (report/gzip_stream.hpp), on the real orders.csv of the
// quickstart scenario's export: bytes of CSV compressed per second, and the compression ratio.
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "experiment/run_replications.hpp"
#include "report/export_files.hpp"
#include "report/gzip_stream.hpp"
#include "scenario/scenario_loader.hpp"

namespace p2psim {
namespace {

const std::filesystem::path kScratch = std::filesystem::temp_directory_path() / "p2psim_bench_gzip";

// The CSV text of one replication's orders export of the quickstart scenario, made once.
const std::string& orders_csv() {
  static const std::string text = [] {
    Scenario scenario = load_scenario(P2PSIM_SOURCE_DIR "/scenarios/quickstart.toml");
    scenario.world.simulation.replications = 1;
    std::filesystem::remove_all(kScratch);
    ExportDirectory folder(kScratch, {.orders = true});
    RunOptions options;
    options.export_sink = [&folder](const WorldConfig& config, std::uint32_t replication) {
      return folder.open(config, replication);
    };
    run_replications(scenario, options);
    folder.commit();
    gzFile file = gzopen((folder.folder() / "replication-0" / kOrdersExportFile).c_str(), "rb");
    if (file == nullptr) throw std::runtime_error("the export was not written");
    std::string csv;
    std::vector<char> buffer(1 << 20);
    int read = 0;
    while ((read = gzread(file, buffer.data(), static_cast<unsigned>(buffer.size()))) > 0)
      csv.append(buffer.data(), static_cast<std::size_t>(read));
    gzclose(file);
    return csv;
  }();
  return text;
}

constexpr std::size_t kChunk = 1 << 20;  // about a batch of the export's rows

void BM_ZlibLevel1(benchmark::State& state) {
  const std::string& csv = orders_csv();
  std::vector<unsigned char> output(2 * kChunk);
  std::size_t compressed = 0;
  for (auto _ : state) {
    z_stream stream{};
    deflateInit2(&stream, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);  // gzip wrapper
    compressed = 0;
    for (std::size_t at = 0; at < csv.size(); at += kChunk) {
      const std::size_t size = std::min(kChunk, csv.size() - at);
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(csv.data() + at));
      stream.avail_in = static_cast<uInt>(size);
      const int flush = at + size == csv.size() ? Z_FINISH : Z_NO_FLUSH;
      do {
        stream.next_out = output.data();
        stream.avail_out = static_cast<uInt>(output.size());
        deflate(&stream, flush);
        compressed += output.size() - stream.avail_out;
      } while (stream.avail_out == 0);
    }
    deflateEnd(&stream);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * csv.size()));
  state.counters["ratio"] = static_cast<double>(csv.size()) / static_cast<double>(compressed);
}
BENCHMARK(BM_ZlibLevel1)->Unit(benchmark::kMillisecond);

void BM_IsalLevel1(benchmark::State& state) {
  const std::string& csv = orders_csv();
  const std::filesystem::path path = kScratch / "isal.gz";
  for (auto _ : state) {
    GzipStream file(path);
    for (std::size_t at = 0; at < csv.size(); at += kChunk)
      file.write(std::string_view(csv).substr(at, kChunk));
    file.close();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * csv.size()));
  state.counters["ratio"] =
      static_cast<double>(csv.size()) / static_cast<double>(std::filesystem::file_size(path));
}
BENCHMARK(BM_IsalLevel1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace p2psim
