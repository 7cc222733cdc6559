// loom's differential fuzzer: random expression trees (compiled in trees_*.cpp) evaluated
// with seq and with every other policy, over random extents, layouts and values.
//
//   loom_fuzz                      the short fixed-seed run CTest does
//   loom_fuzz --seconds 3600       a long run: new run-time seeds until time is up
//   loom_fuzz --seed 7 --cases N   N cases from run-time seed 7
//   loom_fuzz --tree 12            only tree #12 (with --seed/--case to replay one case)
//   loom_fuzz --verbose 1          print every case's expression and what seq did
//
// A failure prints a shrunk reproducer in loom syntax; the exit code is the failure count.
#include "trees.hpp"

#ifdef LOOM_FUZZ_WITH_EIGEN
#include <loom/interop/eigen_gemm.hpp>
#endif

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string_view>

namespace {

struct options {
    std::uint64_t seed = 20261121;
    long cases = 3000;
    double seconds = 0;    // when > 0, run until this many seconds have passed
    int tree = -1;         // only this tree
    long first_case = 0;   // start at this case number (replays one with --cases 1)
    double budget = 2e5;   // reference work per case
    int max_failures = 5;
};

options parse(int argc, char** argv) {
    options o;
    for (int a = 1; a + 1 < argc; a += 2) {
        const std::string_view flag = argv[a];
        const char* v = argv[a + 1];
        if (flag == "--seed") o.seed = std::strtoull(v, nullptr, 0);
        else if (flag == "--cases") o.cases = std::atol(v);
        else if (flag == "--seconds") o.seconds = std::atof(v), o.cases = -1;
        else if (flag == "--tree") o.tree = std::atoi(v);
        else if (flag == "--case") o.first_case = std::atol(v);
        else if (flag == "--budget") o.budget = std::atof(v);
        else if (flag == "--max-failures") o.max_failures = std::atoi(v);
        else if (flag == "--verbose") fuzz::verbose = std::atoi(v) != 0;
        else {
            std::cerr << "loom_fuzz: unknown option " << flag << "\n";
            std::exit(2);
        }
    }
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    const options o = parse(argc, argv);
#ifdef LOOM_FUZZ_WITH_EIGEN
    loom::eigen::register_gemm();  // GEMM-shaped trees then exercise the plug-in path
#endif
    std::vector<fuzz::tree_entry> trees;
    fuzz::add_trees_0(trees);
    fuzz::add_trees_1(trees);
    fuzz::add_trees_2(trees);
    fuzz::add_trees_3(trees);
    long nodes = 0;
    for (const auto& t : trees) nodes += t.nodes;

    fuzz::stats st;
    int failures = 0;
    const auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    long c = o.first_case, ran = 0;
    for (;; ++c) {
        if (o.cases >= 0 && c >= o.first_case + o.cases) break;
        if (o.seconds > 0 && elapsed() > o.seconds) break;
        const std::size_t t = o.tree >= 0 ? std::size_t(o.tree) : std::size_t(c) % trees.size();
        const std::uint64_t seed = fuzz::mix(o.seed ^ fuzz::mix(std::uint64_t(c)));
        const std::string repro = trees[t].run(seed, o.budget, st);
        ++ran;
        if (!repro.empty()) {
            ++failures;
            std::cout << "FAILED: case " << c << " (replay: loom_fuzz --seed " << o.seed << " --tree " << t
                      << " --case " << c << " --cases 1)\n"
                      << repro << "\n";
            if (failures >= o.max_failures) break;
        }
    }
    std::cout << "loom fuzz: " << ran << " cases over " << trees.size() << " trees (" << nodes
              << " nodes), " << st.evaluations << " evaluations compared with seq, " << st.elements
              << " elements; " << st.threw << " cases threw (" << st.planted_errors
              << " out-of-range gather indices planted), " << st.planted_nans << " NaNs planted; " << failures
              << " failures in " << elapsed() << " s (run-time seed " << o.seed << ", structure seed "
              << LOOM_FUZZ_STRUCTURE_SEED << ")\n";
    return failures;
}
