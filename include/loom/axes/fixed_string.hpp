/// \file
/// \brief A string usable as a template argument: the compile-time name of an axis.
#pragma once

#include <loom/config.hpp>

#include <cstddef>
#include <string_view>

LOOM_BEGIN_NAMESPACE

/// A string literal held by value so that it can be a non-type template argument.
/// @tparam N the array size including the terminating zero.
template <std::size_t N>
struct fixed_string {
    char chars[N]{};  ///< The characters, zero-terminated.

    /// Copies a string literal.
    constexpr fixed_string(const char (&text)[N]) noexcept {
        for (std::size_t i = 0; i < N; ++i) chars[i] = text[i];
    }

    /// The name without its terminating zero.
    constexpr std::string_view view() const noexcept { return {chars, N - 1}; }
    /// Number of characters, not counting the terminating zero.
    static constexpr std::size_t size() noexcept { return N - 1; }
};

/// Deduces the size from a string literal.
template <std::size_t N>
fixed_string(const char (&)[N]) -> fixed_string<N>;

/// Two names are equal when their characters are; sizes may differ.
template <std::size_t N, std::size_t M>
constexpr bool operator==(const fixed_string<N>& a, const fixed_string<M>& b) noexcept {
    return a.view() == b.view();
}

LOOM_END_NAMESPACE
