// loom_bench: runs every case of issue 3's benchmark list (or those the filters name) at one
// thread and at --threads threads, then prints one markdown table and optionally writes JSON.
#include "bench_config.hpp"
#include "cases.hpp"
#include "common.hpp"
#include "loom_policy.hpp"
#include "simd_util.hpp"

#include <Eigen/Core>
#include <cblas.h>
#include <omp.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

namespace {

void usage() {
    std::cout <<
        "usage: loom_bench [--quick] [--threads N] [--json FILE] [--list] [CASE...]\n"
        "  --quick       smaller sizes and fewer repetitions (a smoke run)\n"
        "  --threads N   thread count of the multi-threaded rows (f); 1 turns them off\n"
        "  --json FILE   also write every result as JSON objects\n"
        "  --timeout S   limit for runs in a child process (default 10, quick 5)\n"
        "  CASE          run only cases whose id contains CASE, e.g. softmax, a.chain, e., g.\n"
        "case ids: ctx.copy ctx.fma a.chain_large a.chain_small b.softmax_rows c.softmax_cols\n"
        "          d.matmul e.slice e.transpose e.bcast_row e.bcast_col e.mid_reduce e.row_norm g.compile\n";
}

// The 1-minute load average: other processes on a 2-core machine slow every row and
// quantise multi-threaded ones to scheduler ticks, so the table says how busy it was.
std::string load_average() {
    std::ifstream f("/proc/loadavg");
    std::string a;
    f >> a;
    return a.empty() ? "?" : a;
}

std::string cpu_model() {
    std::ifstream f("/proc/cpuinfo");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
    return "unknown CPU";
}

}  // namespace

int main(int argc, char** argv) {
    using namespace bench;
    options& o = opts();
    std::string json;
    bool timeout_given = false;
    for (int k = 1; k < argc; ++k) {
        const std::string a = argv[k];
        if (a == "--quick") o.quick = true;
        else if (a == "--threads" && k + 1 < argc) o.threads = std::max(1, std::atoi(argv[++k]));
        else if (a == "--json" && k + 1 < argc) json = argv[++k];
        else if (a == "--timeout" && k + 1 < argc) o.isolated_timeout = std::atof(argv[++k]), timeout_given = true;
        else if (a == "--help" || a == "-h" || a == "--list") return usage(), 0;
        else if (!a.empty() && a[0] == '-') return usage(), 2;
        else o.filters.push_back(a);
    }
    if (o.quick) {
        o.budget = 0.08, o.min_reps = 3, o.max_reps = 7;
        if (!timeout_given) o.isolated_timeout = 5;
    }

    const std::string load_before = load_average();
    // Single-threaded unless a row asks for more.
    Eigen::setNbThreads(1);
    openblas_set_num_threads(1);
    omp_set_num_threads(1);

    std::cerr << "loom_bench: " << cpu_model() << ", " << xsimd::default_arch::name() << " ("
              << W << " floats per batch), loom policy " << loom_fast::name
              << (o.quick ? ", --quick" : "") << "\n";

    for (int threads : {1, o.threads}) {
        case_machine(threads);
        case_chain(threads);
        case_softmax(threads);
        case_matmul(threads);
        case_chain_views(threads);
        case_views(threads);
        if (o.threads == 1) break;
    }
    case_compile();

    std::string title = "loom benchmarks: " + cpu_model() + ", " + LOOM_BENCH_FLAGS + ", xsimd " +
                        xsimd::default_arch::name() + " (" + std::to_string(W) +
                        " floats per batch), loom policy `" + loom_fast::name + "`" +
                        (o.quick ? ", --quick sizes" : "") + ", " +
                        std::to_string(std::thread::hardware_concurrency()) +
                        " hardware threads, load average " + load_before + " before and " +
                        load_average() + " after the run";
    print_table(title);
    if (!json.empty()) {
        write_json(json);
        std::cout << "\nJSON written to " << json << "\n";
    }
    int wrong = 0;
    for (const auto& r : results()) wrong += !r.ok && std::isfinite(r.seconds) && r.impl.rfind("loom", 0) == 0;
    if (wrong) std::cout << "\n" << wrong << " loom row(s) disagree with the reference.\n";
    return 0;
}
