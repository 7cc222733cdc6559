/// \file
/// \brief A fixed-size array of indices usable in device code (std::array is not, by default).
#pragma once

#include <loom/config.hpp>

#include <cstddef>

LOOM_BEGIN_NAMESPACE

/// `N` indices, extents or strides; an aggregate, trivially copyable, indexable on device.
/// @tparam N the number of entries (0 allowed).
template <std::size_t N>
struct index_array {
    index_t values[N > 0 ? N : 1]{};  ///< The entries (one unused slot when N is 0).

    /// Entry `k`.
    LOOM_HD constexpr index_t& operator[](std::size_t k) noexcept { return values[k]; }
    /// Entry `k`.
    LOOM_HD constexpr const index_t& operator[](std::size_t k) const noexcept { return values[k]; }
    /// Address of the first entry.
    LOOM_HD constexpr index_t* data() noexcept { return values; }
    /// Address of the first entry.
    LOOM_HD constexpr const index_t* data() const noexcept { return values; }
    /// Number of entries.
    LOOM_HD static constexpr std::size_t size() noexcept { return N; }
    /// Equal when every entry is.
    friend constexpr bool operator==(const index_array& a, const index_array& b) noexcept {
        for (std::size_t k = 0; k < N; ++k)
            if (a.values[k] != b.values[k]) return false;
        return true;
    }
};

LOOM_END_NAMESPACE
