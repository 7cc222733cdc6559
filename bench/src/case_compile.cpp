// (g) compile cost: wall time and peak memory (GNU time's "Maximum resident set size") of
// g++ -O2 on each of loom's example and test translation units, and on the Eigen Tensor and
// xtensor versions of the tour (bench/compile/).
#include "bench_config.hpp"
#include "cases.hpp"
#include "common.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace bench {
namespace {

namespace fs = std::filesystem;

struct compile_result {
    bool ok = false;
    double seconds = NAN;
    double peak_rss = 0;  // bytes
    double cpu = NAN;     // user + system seconds of the compiler
    std::string error;    // first error line when !ok
};

std::string quote(const std::string& s) { return "'" + s + "'"; }

compile_result compile_once(const std::string& source, const std::string& flags) {
    const fs::path dir = fs::temp_directory_path() / ("loom-bench-compile-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string stats = (dir / "time.txt").string(), err = (dir / "err.txt").string();
    const std::string cmd = "/usr/bin/time -f '%e %M %U %S' -o " + quote(stats) + " " +
                            quote(LOOM_BENCH_CXX) + " -std=c++20 -O2 " + flags + " -c " +
                            quote(source) + " -o " + quote((dir / "out.o").string()) + " 2> " +
                            quote(err);
    const auto t0 = clock_type::now();
    const int rc = std::system(cmd.c_str());
    const double wall = seconds_since(t0);
    compile_result r;
    std::ifstream st(stats);
    double kib = 0, cpu = NAN;
    std::string line;
    while (std::getline(st, line)) {  // "Command exited with non-zero status N" may come first
        std::istringstream ls(line);
        double e = 0, k = 0, u = 0, sy = 0;
        if (ls >> e >> k >> u >> sy) kib = k, cpu = u + sy;
    }
    r.cpu = cpu;
    r.ok = rc == 0;
    r.seconds = wall;  // the compiler's wall clock as a user sees it (driver included)
    r.peak_rss = kib * 1024.0;
    if (!r.ok) {
        std::ifstream e(err);
        while (std::getline(e, line))
            if (line.find("error") != std::string::npos) {
                r.error = line.substr(0, 160);
                break;
            }
        if (r.error.empty()) r.error = "exit status " + std::to_string(rc);
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    return r;
}

// One row of a compile group: what to compile, and the compiles measured so far.
struct compile_job {
    std::string impl, source, flags, note;
    bool baseline = false;
    std::vector<compile_result> runs;
};

// Median wall and CPU time of a job's compiles; peak RSS is the largest seen; the first
// failure, if any, instead.
compile_result summarise(const std::vector<compile_result>& runs) {
    std::vector<double> t, c;
    double rss = 0;
    for (const auto& r : runs) {
        if (!r.ok) return r;
        t.push_back(r.seconds);
        c.push_back(r.cpu);
        rss = std::max(rss, r.peak_rss);
    }
    std::sort(t.begin(), t.end());
    std::sort(c.begin(), c.end());
    compile_result out = runs.back();
    out.seconds = t[t.size() / 2];
    out.cpu = c[c.size() / 2];
    out.peak_rss = rss;
    return out;
}

// The job's row: median times over its compiles, or why there are none.
void add_row(group& g, const compile_job& job) {
    if (job.runs.empty()) {
        g.skip(job.impl, "source not found: " + job.source);
        return;
    }
    const compile_result c = summarise(job.runs);
    record& r = g.skip(job.impl, job.note);
    r.baseline = job.baseline;
    if (!c.ok) {
        r.ok = false;
        r.note += std::string(r.note.empty() ? "" : "; ") + "compile failed: " + c.error;
        return;
    }
    r.seconds = c.seconds;
    r.cpu_seconds = c.cpu;
    r.peak_rss = c.peak_rss;
    r.samples = int(job.runs.size());
    char buf[64];
    std::snprintf(buf, sizeof buf, "cpu %.2f s", c.cpu);
    r.note += std::string(r.note.empty() ? "" : "; ") + buf;
}

// Compiles every job `reps` times, round by round (each round compiles each job once), so
// that a drift in the machine's speed affects every row alike; then adds one row per job.
void run_jobs(group& g, std::vector<compile_job>& jobs, int reps) {
    for (int k = 0; k < reps; ++k)
        for (auto& j : jobs) {
            if (!fs::exists(j.source) || (!j.runs.empty() && !j.runs.back().ok)) continue;
            std::fprintf(stderr, "  compiling %s (%d of %d)\n", j.source.c_str(), k + 1, reps);
            j.runs.push_back(compile_once(j.source, j.flags));
        }
    for (const auto& j : jobs) add_row(g, j);
}

}  // namespace

void case_compile() {
    if (!selected("g.compile")) return;
    if (!fs::exists("/usr/bin/time")) {
        group g("g.compile", "g compile cost", 1, 0, 0);
        g.skip("all", "/usr/bin/time is missing (Debian package `time`)");
        return;
    }
    const bool quick = opts().quick;
    const std::string root = LOOM_BENCH_SOURCE_DIR;
    const std::string loom_flags = "-I" + quote(root + "/include") + " " LOOM_BENCH_XSIMD_FLAGS;
    const std::string eigen_flags = "-I" + quote(LOOM_BENCH_EIGEN_INCLUDE);
    const std::string xt_flags = std::string("-DXTENSOR_USE_XSIMD ") + LOOM_BENCH_XTENSOR_FLAGS;
    {
        group g("g.compile", "g compile a tour-sized program (g++ -O2 -c)", 1, 0, 0);
        std::vector<compile_job> jobs = {
            {"loom: examples/tour.cpp", root + "/examples/tour.cpp", loom_flags, "", false, {}},
            {"Eigen Tensor: bench/compile/tour_eigen.cpp", root + "/bench/compile/tour_eigen.cpp",
             eigen_flags, "ratio reference for (g)", true, {}},
            {"xtensor+xsimd: bench/compile/tour_xtensor.cpp",
             root + "/bench/compile/tour_xtensor.cpp", xt_flags, "", false, {}}};
        run_jobs(g, jobs, quick ? 1 : 5);
    }
    {
        group g("g.compile_units", "g compile loom's translation units (g++ -O2 -c)", 1, 0, 0);
        std::vector<std::string> units;
        for (const char* sub : {"examples", "tests"}) {
            std::error_code ec;
            for (const auto& e : fs::directory_iterator(root + "/" + sub, ec)) {
                const std::string name = e.path().filename().string();
                if (e.path().extension() != ".cpp") continue;
                if (std::string(sub) == "tests" && name.rfind("test_", 0) != 0) continue;
                if (name == "tour.cpp") continue;  // in the table above
                units.push_back(std::string(sub) + "/" + name);
            }
        }
        std::sort(units.begin(), units.end());
        if (quick) {
            g.skip("tests/test_*.cpp, other examples", "--quick: not compiled");
            return;
        }
        std::vector<compile_job> jobs;
        for (const auto& u : units)
            jobs.push_back({"loom: " + u, root + "/" + u,
                            loom_flags + " -I" + quote(root + "/" + fs::path(u).parent_path().string()),
                            "", false, {}});
        run_jobs(g, jobs, 1);
    }
}

}  // namespace bench
