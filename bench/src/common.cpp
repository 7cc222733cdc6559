#include "common.hpp"

#include <omp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

namespace bench {

options& opts() {
    static options o;
    return o;
}

std::vector<record>& results() {
    static std::vector<record> r;
    return r;
}

bool selected(const std::string& id) {
    const auto& f = opts().filters;
    if (f.empty()) return true;
    for (const auto& s : f)
        if (id.find(s) != std::string::npos) return true;
    return false;
}

double max_rel_error(const float* got, const float* want, std::size_t n) {
    double scale = 0;
    for (std::size_t k = 0; k < n; ++k) scale = std::max(scale, std::abs(double(want[k])));
    const double floor = std::max(1e-6 * scale, 1e-30);
    double e = 0;
    for (std::size_t k = 0; k < n; ++k) {
        const double g = got[k], w = want[k];
        if (!std::isfinite(g)) return INFINITY;
        e = std::max(e, std::abs(g - w) / std::max(std::abs(w), floor));
    }
    return e;
}

// ---------------------------------------------------------------------------------------

group::group(std::string id, std::string title, int threads, double bytes, double flops,
             double tol)
    : id_(std::move(id)), title_(std::move(title)), threads_(threads), bytes_(bytes),
      flops_(flops), tol_(tol) {}

group::~group() {
    for (auto& r : rows_) results().push_back(std::move(r));
}

record& group::add(const std::string& impl, bool baseline, const std::string& note) {
    record r;
    r.id = id_, r.group = title_, r.impl = impl, r.threads = threads_;
    r.bytes = bytes_, r.flops = flops_, r.tol = tol_, r.baseline = baseline, r.note = note;
    rows_.push_back(r);
    std::cerr << "  " << title_ << " | " << impl << " | " << threads_ << " thr" << std::endl;
    return rows_.back();
}

void group::check(record& r, const float* out) const {
    if (!out || !ref_) return;
    r.checked = true;
    r.err = max_rel_error(out, ref_, n_);
    r.ok = r.err <= tol_;
    if (!std::isfinite(r.err)) {
        r.note += std::string(r.note.empty() ? "" : "; ") + "returns inf/nan";
    } else if (!r.ok) {
        r.note += std::string(r.note.empty() ? "" : "; ") + "MISMATCH vs reference";
    }
}

record& group::skip(const std::string& impl, const std::string& note) {
    return add(impl, false, note);
}

namespace {
struct child_report {
    double seconds;
    double min;
    double err;
    int samples;
    int checked;
};
}  // namespace

record& group::run_isolated(const std::string& impl, const std::function<void()>& f,
                            const float* out, double timeout_s, bool baseline,
                            const std::string& note) {
    record& r = add(impl, baseline, note);
    std::cout.flush();
    std::cerr.flush();
    int fds[2];
    if (pipe(fds) != 0) {
        r.note += "; pipe failed";
        return r;
    }
    const pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]), close(fds[1]);
        r.note += "; fork failed";
        return r;
    }
    if (pid == 0) {  // child: measure, check, report, exit without running destructors
        close(fds[0]);
        const timing t = measure(f);
        child_report rep{t.median, t.min, NAN, t.samples, 0};
        if (out && ref_) rep.err = max_rel_error(out, ref_, n_), rep.checked = 1;
        [[maybe_unused]] auto w = write(fds[1], &rep, sizeof rep);
        close(fds[1]);
        _exit(0);
    }
    close(fds[1]);
    int status = 0;
    bool done = false;
    const auto t0 = clock_type::now();
    while (!done) {
        const pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) {
            done = true;
        } else if (seconds_since(t0) > timeout_s) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            std::ostringstream os;
            os << "timeout: killed after " << timeout_s << " s";
            r.note += std::string(r.note.empty() ? "" : "; ") + os.str();
            r.ok = false;
            close(fds[0]);
            return r;
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    child_report rep{};
    const auto got = read(fds[0], &rep, sizeof rep);
    close(fds[0]);
    if (WIFSIGNALED(status) || got != static_cast<ssize_t>(sizeof rep)) {
        std::ostringstream os;
        if (WIFSIGNALED(status))
            os << "crashes (" << strsignal(WTERMSIG(status)) << ")";
        else
            os << "exited without a result (status " << WEXITSTATUS(status) << ")";
        r.note += std::string(r.note.empty() ? "" : "; ") + os.str();
        r.ok = false;
        return r;
    }
    r.seconds = rep.seconds;
    r.min_seconds = rep.min;
    r.samples = rep.samples;
    if (rep.checked) {
        r.checked = true;
        r.err = rep.err;
        r.ok = r.err <= tol_;
        if (!std::isfinite(r.err))
            r.note += std::string(r.note.empty() ? "" : "; ") + "returns inf/nan";
        else if (!r.ok)
            r.note += std::string(r.note.empty() ? "" : "; ") + "MISMATCH vs reference";
    }
    return r;
}

// ---------------------------------------------------------------------------------------

void fill_uniform(float* p, std::size_t n, float lo, float hi, std::uint64_t seed) {
    std::uint64_t s = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    const float scale = (hi - lo) / 16777216.0f;
    for (std::size_t k = 0; k < n; ++k) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;  // xorshift64
        p[k] = lo + scale * static_cast<float>(s >> 40);
    }
}

void parallel_ranges(int threads, std::size_t n, std::size_t grain,
                     const std::function<void(std::size_t, std::size_t)>& f) {
    grain = std::max<std::size_t>(grain, 1);
    const std::size_t blocks = (n + grain - 1) / grain;
#pragma omp parallel num_threads(threads)
    {
        const std::size_t t = static_cast<std::size_t>(omp_get_thread_num());
        const std::size_t nt = static_cast<std::size_t>(omp_get_num_threads());
        const std::size_t b0 = blocks * t / nt, b1 = blocks * (t + 1) / nt;
        const std::size_t lo = std::min(n, b0 * grain), hi = std::min(n, b1 * grain);
        if (lo < hi) f(lo, hi);
    }
}

std::string pow2_name(std::size_t n) {
    int k = 0;
    while ((std::size_t{1} << k) < n) ++k;
    if ((std::size_t{1} << k) == n) return "2^" + std::to_string(k);
    return std::to_string(n);
}

// ---------------------------------------------------------------------------------------
// Output

namespace {

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

std::string time_str(double s) {
    if (!std::isfinite(s)) return "-";
    if (s >= 1) return fmt("%.3f s", s);
    if (s >= 1e-3) return fmt("%.3f ms", s * 1e3);
    return fmt("%.2f us", s * 1e6);
}

std::string rate_str(const record& r) {
    if (r.peak_rss > 0) return fmt("%.0f MiB peak", r.peak_rss / (1024.0 * 1024.0));
    if (!std::isfinite(r.seconds)) return "-";
    if (r.flops > 0) return fmt("%.1f GFLOP/s", r.flops / r.seconds * 1e-9);
    if (r.bytes > 0) return fmt("%.1f GB/s", r.bytes / r.seconds * 1e-9);
    return "-";
}

std::string err_str(const record& r) {
    if (!r.checked) return "-";
    if (!std::isfinite(r.err)) return "inf";
    return fmt("%.1e", r.err) + (r.ok ? "" : " !");
}

std::string json_escape(const std::string& s) {
    std::string o;
    for (char c : s) {
        if (c == '"' || c == '\\') o += '\\', o += c;
        else if (c == '\n') o += "\\n";
        else if (static_cast<unsigned char>(c) < 0x20) o += ' ';
        else o += c;
    }
    return o;
}

std::string json_num(double v) {
    if (!std::isfinite(v)) return "null";
    std::ostringstream os;
    os.precision(9);
    os << v;
    return os.str();
}

// Ref time (fastest correct baseline) per (id, threads).
std::map<std::pair<std::string, int>, double> reference_times() {
    std::map<std::pair<std::string, int>, double> ref;
    for (const auto& r : results()) {
        if (!r.baseline || !r.ok || !std::isfinite(r.seconds)) continue;
        auto key = std::make_pair(r.id, r.threads);
        auto it = ref.find(key);
        if (it == ref.end() || r.seconds < it->second) ref[key] = r.seconds;
    }
    return ref;
}

double one_thread_time(const record& r) {
    for (const auto& q : results())
        if (q.id == r.id && q.impl == r.impl && q.threads == 1 && q.ok) return q.seconds;
    return NAN;
}

// Rows in case order (first appearance), 1 thread before more.
std::vector<const record*> ordered() {
    std::map<std::string, std::size_t> first;
    for (const auto& r : results()) first.emplace(r.id, first.size());
    std::vector<const record*> v;
    for (const auto& r : results()) v.push_back(&r);
    std::stable_sort(v.begin(), v.end(), [&](const record* a, const record* b) {
        const auto fa = first[a->id], fb = first[b->id];
        if (fa != fb) return fa < fb;
        return a->threads < b->threads;
    });
    return v;
}

}  // namespace

void print_table(const std::string& title) {
    const auto ref = reference_times();
    std::ostringstream os;
    os << "\n### " << title << "\n\n";
    os << "| case | impl | thr | median | rate | vs ref | vs 1 thr | max rel err | note |\n";
    os << "|---|---|--:|--:|--:|--:|--:|--:|---|\n";
    std::string last;
    for (const record* r : ordered()) {
        std::string ratio = "-", speedup = "-";
        const auto it = ref.find({r->id, r->threads});
        if (!r->ok) {
            ratio = std::isfinite(r->seconds) ? "wrong" : "-";
        } else if (it != ref.end() && std::isfinite(r->seconds)) {
            ratio = fmt("%.2fx", it->second / r->seconds) + (r->baseline ? "*" : "");
        }
        if (r->threads > 1 && r->ok && std::isfinite(r->seconds)) {
            const double t1 = one_thread_time(*r);
            if (std::isfinite(t1)) speedup = fmt("%.2fx", t1 / r->seconds);
        }
        std::string note = r->note;
        if (!r->compare_to.empty() && r->ok && std::isfinite(r->seconds))
            for (const auto& q : results())
                if (q.id == r->id && q.threads == r->threads && q.impl == r->compare_to &&
                    q.ok && std::isfinite(q.seconds))
                    note += std::string(note.empty() ? "" : "; ") + fmt("%.2fx ", q.seconds / r->seconds) +
                            "vs " + q.impl;
        const std::string& label = r->group;
        os << "| " << (label == last ? "" : label) << " | " << r->impl << " | " << r->threads
           << " | " << time_str(r->seconds) << " | " << rate_str(*r) << " | " << ratio << " | "
           << speedup << " | " << err_str(*r) << " | " << note << " |\n";
        last = label;
    }
    os << "\nvs ref: time of the fastest correct baseline row (marked *) of the same case and "
          "thread count divided by this row's time; above 1.00x is faster than that baseline. "
          "vs 1 thr: this implementation's 1-thread time over this time. max rel err: "
          "max |out - ref| / |ref| against the case's reference output; '!' and 'wrong' mark "
          "rows outside the case's tolerance, which never get a ratio. Rates count nominal "
          "bytes (each input read once, each output written once; no write-allocate).\n";
    std::cout << os.str() << std::flush;
}

void write_json(const std::string& path) {
    std::ofstream f(path);
    f << "[\n";
    bool first = true;
    const auto ref = reference_times();
    for (const record* r : ordered()) {
        f << (first ? "" : ",\n") << "  {\"case\": \"" << json_escape(r->group) << "\", \"id\": \""
          << json_escape(r->id) << "\", \"impl\": \"" << json_escape(r->impl)
          << "\", \"threads\": " << r->threads << ", \"seconds\": " << json_num(r->seconds);
        if (std::isfinite(r->min_seconds)) f << ", \"min_seconds\": " << json_num(r->min_seconds);
        if (std::isfinite(r->cpu_seconds)) f << ", \"cpu_seconds\": " << json_num(r->cpu_seconds);
        if (r->flops > 0) f << ", \"flops\": " << json_num(r->flops);
        if (r->bytes > 0) f << ", \"bytes\": " << json_num(r->bytes);
        if (r->peak_rss > 0) f << ", \"peak_rss_bytes\": " << json_num(r->peak_rss);
        const auto it = ref.find({r->id, r->threads});
        if (r->ok && it != ref.end() && std::isfinite(r->seconds))
            f << ", \"vs_ref\": " << json_num(it->second / r->seconds);
        f << ", \"baseline\": " << (r->baseline ? "true" : "false");
        if (r->checked) f << ", \"max_rel_err\": " << json_num(r->err) << ", \"tolerance\": "
                          << json_num(r->tol);
        f << ", \"ok\": " << (r->ok ? "true" : "false") << ", \"samples\": " << r->samples
          << ", \"note\": \"" << json_escape(r->note) << "\"}";
        first = false;
    }
    f << "\n]\n";
}

}  // namespace bench
