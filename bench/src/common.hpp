// The benchmark harness: timing (warm-up, repetitions, median), result records, output
// checks against a reference, fork-isolated runs for implementations that may crash or hang,
// aligned buffers, deterministic inputs and a tiny OpenMP range splitter for hand loops.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <new>
#include <type_traits>
#include <string>
#include <utility>
#include <vector>

namespace bench {

// ---------------------------------------------------------------------------------------
// Options and results

struct options {
    bool quick = false;               // smaller sizes, fewer repetitions
    int threads = 2;                  // thread count of the (f) rows; 1 turns them off
    std::vector<std::string> filters; // case ids to run (substring match); empty: all
    double budget = 0.6;              // seconds of timed repetitions per implementation
    int min_reps = 5, max_reps = 41;  // repetitions (samples) per implementation
    double isolated_timeout = 10;     // seconds before an isolated run is called a timeout
};
options& opts();

// One row of the table / one JSON object.
struct record {
    std::string id;       // case id, for filters and ordering (e.g. "b.softmax_rows")
    std::string group;    // case title as printed (e.g. "b row softmax 4096x4096")
    std::string impl;     // implementation
    int threads = 1;
    double seconds = NAN;       // median time per call (NaN: did not run)
    double bytes = 0;           // nominal bytes moved per call (reads + writes, no write-allocate)
    double flops = 0;           // floating-point operations per call
    double err = NAN;           // max relative error vs the reference output
    double tol = 0;             // the tolerance err is held to
    bool checked = false;       // err was measured
    bool ok = true;             // within tolerance (and finite)
    bool baseline = false;      // the ratio column is taken against the fastest baseline row
    double min_seconds = NAN;   // fastest sample
    double peak_rss = 0;        // bytes (compile rows)
    double cpu_seconds = NAN;   // user + system seconds (compile rows)
    int samples = 0;            // timed samples taken
    std::string note;
    std::string compare_to;     // another impl of the same case: the note adds time(it) / time
};
std::vector<record>& results();

// True when the case id passes the command line filters.
bool selected(const std::string& id);

// Prints the markdown table of every result; writes JSON when a path is given.
void print_table(const std::string& title);
void write_json(const std::string& path);

// ---------------------------------------------------------------------------------------
// Timing

using clock_type = std::chrono::steady_clock;
inline double seconds_since(clock_type::time_point t0) {
    return std::chrono::duration<double>(clock_type::now() - t0).count();
}

struct timing {
    double median = NAN;  // seconds per call
    double min = NAN;
    int samples = 0;
    long iters = 1;       // calls per sample (small kernels are batched for clock resolution)
};

// Warm-up calls, then `samples` timed samples of `iters` calls each; the median per call.
template <class F>
timing measure(F&& f) {
    const options& o = opts();
    auto t0 = clock_type::now();
    f();  // first touch of outputs, code and caches
    double first = seconds_since(t0);
    if (first < 0.25) {  // a second warm-up, timed, when it is cheap
        t0 = clock_type::now();
        f();
        first = seconds_since(t0);
    }
    timing t;
    const double min_sample = 2e-3;  // long enough for the clock, short enough for noise
    if (first < min_sample) t.iters = static_cast<long>(std::ceil(min_sample / std::max(first, 1e-8)));
    const double per_sample = std::max(first * static_cast<double>(t.iters), 1e-9);
    int reps = static_cast<int>(o.budget / per_sample);
    reps = std::clamp(reps, per_sample > 0.15 ? 3 : o.min_reps, o.max_reps);
    std::vector<double> s(static_cast<std::size_t>(reps));
    for (auto& v : s) {
        t0 = clock_type::now();
        for (long k = 0; k < t.iters; ++k) f();
        v = seconds_since(t0) / static_cast<double>(t.iters);
    }
    std::sort(s.begin(), s.end());
    t.median = s.size() % 2 ? s[s.size() / 2] : 0.5 * (s[s.size() / 2 - 1] + s[s.size() / 2]);
    t.min = s.front();
    t.samples = reps;
    return t;
}

// Max relative error of `got` against `want`: max |g - w| / max(|w|, floor), where floor is
// 1e-6 of the largest |w| (the cases choose inputs whose outputs do not cancel to zero).
// Non-finite values in `got` give +inf.
double max_rel_error(const float* got, const float* want, std::size_t n);

// ---------------------------------------------------------------------------------------
// A case at one thread count: its rows, the reference output they are checked against.

class group {
public:
    group(std::string id, std::string title, int threads, double bytes, double flops,
          double tol = 1e-4);
    ~group();
    group(const group&) = delete;
    group& operator=(const group&) = delete;

    // The output every implementation is compared with (kept by pointer; must outlive runs).
    void reference(const float* ref, std::size_t n) { ref_ = ref, n_ = n; }
    double tolerance() const { return tol_; }
    int threads() const { return threads_; }

    // Times `f` (which writes the output), then checks the output against the reference.
    // `out` is the output's address, or a callable returning it after the run (for outputs
    // that a run may reallocate). A baseline row is one the ratio column is taken against
    // (the best hand loop).
    template <class F, class Out>
    record& run(const std::string& impl, F&& f, Out&& out, bool baseline = false,
                const std::string& note = "") {
        record& r = add(impl, baseline, note);
        const timing t = measure(f);
        r.seconds = t.median;
        r.min_seconds = t.min;
        r.samples = t.samples;
        if constexpr (std::is_invocable_v<Out&>) check(r, out());
        else check(r, out);
        return r;
    }
    // As run(), in a forked child with a time limit: for implementations that may crash,
    // hang or take unbounded time. The row says which of those happened.
    record& run_isolated(const std::string& impl, const std::function<void()>& f,
                         const float* out, double timeout_s, bool baseline = false,
                         const std::string& note = "");
    // A row that did not run; the note says why.
    record& skip(const std::string& impl, const std::string& note);

private:
    record& add(const std::string& impl, bool baseline, const std::string& note);
    void check(record& r, const float* out) const;

    std::string id_, title_;
    int threads_;
    double bytes_, flops_, tol_;
    const float* ref_ = nullptr;
    std::size_t n_ = 0;
    std::deque<record> rows_;  // a deque: references handed out stay valid
};

// ---------------------------------------------------------------------------------------
// Memory and inputs

// A 64-byte aligned array of trivially copyable T (uninitialised until written).
template <class T>
class aligned_array {
public:
    aligned_array() = default;
    explicit aligned_array(std::size_t n) : n_(n) {
        if (n)
            p_.reset(static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{64})));
    }
    T* data() noexcept { return p_.get(); }
    const T* data() const noexcept { return p_.get(); }
    std::size_t size() const noexcept { return n_; }
    T& operator[](std::size_t i) noexcept { return p_.get()[i]; }
    const T& operator[](std::size_t i) const noexcept { return p_.get()[i]; }

private:
    struct del {
        void operator()(T* p) const noexcept { ::operator delete(p, std::align_val_t{64}); }
    };
    std::unique_ptr<T, del> p_;
    std::size_t n_ = 0;
};

// Deterministic uniform values in [lo, hi), one stream per seed.
void fill_uniform(float* p, std::size_t n, float lo, float hi, std::uint64_t seed);
inline aligned_array<float> uniform(std::size_t n, float lo, float hi, std::uint64_t seed) {
    aligned_array<float> a(n);
    fill_uniform(a.data(), n, lo, hi, seed);
    return a;
}

// Splits [0, n) into `threads` contiguous chunks (multiples of `grain` except the last)
// and calls f(lo, hi) on each from an OpenMP team; one thread calls f(0, n) directly.
void parallel_ranges(int threads, std::size_t n, std::size_t grain,
                     const std::function<void(std::size_t, std::size_t)>& f);

// Same, with a template callable and no std::function in the one-thread path.
template <class F>
void par_for(int threads, std::size_t n, std::size_t grain, F&& f) {
    if (threads <= 1) {
        f(std::size_t{0}, n);
        return;
    }
    parallel_ranges(threads, n, grain, std::function<void(std::size_t, std::size_t)>(f));
}

// Keeps the optimiser from removing a computation whose result is otherwise unused.
template <class T>
inline void keep(T const& v) {
    asm volatile("" : : "g"(&v) : "memory");
}

// Size helpers for titles: "2^24", "4096x4096".
std::string pow2_name(std::size_t n);

}  // namespace bench
