// The run-time half of a fuzz case: extents, layouts, values and constants, all derived from
// one seed, plus the storage the case's leaves view and the text of its reproducer.
#pragma once

#include <loom/loom.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace fuzz {

using loom::index_t;

inline constexpr loom::axis<"i"> i;
inline constexpr loom::axis<"j"> j;
inline constexpr loom::axis<"k"> k;
inline constexpr loom::axis<"l"> l;
inline constexpr int axis_count = 4;  // i, j, k, l: ids 0..3

// An axis's id: its single-letter name's distance from 'i'.
template <class A>
inline constexpr int axis_id = A::name.chars[0] - 'i';

// SplitMix64's finaliser: the mixing function behind every random choice, compile-time
// (tree shapes) and run-time (everything else).
constexpr std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}
// The seed of child `c` of the node with seed `s`.
constexpr std::uint64_t child_seed(std::uint64_t s, int c) { return mix(s ^ (0x632be59bd9b4e019ULL * std::uint64_t(c + 1))); }

// Formats a double so that it reads back exactly.
inline std::string num(double v) {
    if (std::isnan(v)) return "NAN";
    if (std::isinf(v)) return v > 0 ? "INFINITY" : "-INFINITY";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    std::string s = buf;
    if (s.find_first_of(".e") == std::string::npos) s += ".0";
    return s;
}

// The C++ spelling of an element type.
template <class T>
constexpr const char* type_name() {
    if constexpr (std::is_same_v<T, float>) return "float";
    else if constexpr (std::is_same_v<T, double>) return "double";
    else return "loom::index_t";
}

// A literal of type T in a reproducer: 0.5f or 0.5.
template <class T>
std::string lit(double v) {
    if constexpr (std::is_same_v<T, float>) return std::isfinite(v) ? num(double(float(v))) + "f" : num(v);
    else return num(v);
}

// The extents of `Axes` as a braced list by name: {i = 3, j = 5}.
template <class Axes>
std::string extents_text(const index_t* ext) {
    std::string s = "{";
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((s += (K ? ", " : "") + std::string(loom::axis_at_t<Axes, K>::name.view()) + " = " +
               std::to_string(ext[axis_id<loom::axis_at_t<Axes, K>>])),
         ...);
    }(std::make_index_sequence<Axes::size>{});
    return s + "}";
}
// The axis names of `Axes` as template arguments: "i", "j".
template <class Axes>
std::string names_text() {
    std::string s;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((s += (K ? ", \"" : "\"") + std::string(loom::axis_at_t<Axes, K>::name.view()) + "\""), ...);
    }(std::make_index_sequence<Axes::size>{});
    return s;
}

// Which simplifications the shrinker has applied to a case.
struct simplified {
    bool dense = false;    // every leaf and the destination dense, in type order
    bool no_nan = false;   // no NaN planted in a leaf
    bool no_error = false; // no out-of-range gather index planted
};

// One fuzz case's run-time choices and storage. Every choice is a pure function of the seed
// and the node asking (its compile-time seed), so building the expression and printing its
// reproducer agree without sharing state.
struct world {
    std::uint64_t seed = 0;
    index_t ext[axis_count] = {};
    simplified simple;
    std::vector<std::shared_ptr<void>> storage;  // buffers the leaves view
    std::vector<std::string> decls;               // reproducer: leaf declarations
    int planted_nans = 0;                         // NaNs written into leaves this build
    int planted_errors = 0;                       // out-of-range gather indices this build

    // A 64-bit choice for node `node`, question `q`.
    std::uint64_t bits(std::uint64_t node, int q) const { return mix(seed ^ mix(node + std::uint64_t(q) * 0x2545f4914f6cdd1dULL)); }
    // A choice in [0, n).
    int pick(std::uint64_t node, int q, int n) const { return int(bits(node, q) % std::uint64_t(n)); }
    // A real in [lo, hi).
    double real(std::uint64_t node, int q, double lo, double hi) const {
        return lo + (hi - lo) * double(bits(node, q) >> 11) * 0x1.0p-53;
    }
    // Storage for `n` elements of T that lives as long as the case.
    template <class T>
    T* allocate(std::size_t n, T fill) {
        auto buf = std::make_shared<std::vector<T>>(std::max<std::size_t>(n, 1), fill);
        storage.push_back(buf);
        return buf->data();
    }
    // Forgets what the last build made (storage and reproducer text).
    void reset() {
        storage.clear();
        decls.clear();
        planted_nans = 0;
        planted_errors = 0;
    }
};

// Extents are drawn from this list: 0 and 1, primes, and sizes on either side of SIMD
// widths (4, 8 and 16 lanes).
inline constexpr index_t extent_choices[] = {0, 1, 1, 2, 3, 4, 5, 7, 8, 9, 11, 13, 15, 16, 17,
                                             19, 23, 31, 32, 33, 37, 47, 64, 67};

}  // namespace fuzz
