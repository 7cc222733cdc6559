/// \file
/// \brief An aligned, owning array: the memory behind a tensor.
#pragma once

#include <loom/config.hpp>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

LOOM_BEGIN_NAMESPACE

/// Alignment of tensor storage in bytes: a cache line, enough for any SIMD width.
inline constexpr std::size_t storage_alignment = 64;

namespace detail {

// Owns `size` value-initialised elements at a 64-byte aligned address.
template <class T>
class aligned_buffer {
    static_assert(std::is_nothrow_destructible_v<T>, "loom: tensor elements must not throw");

public:
    aligned_buffer() noexcept = default;
    explicit aligned_buffer(index_t size) : size_(size) {
        if (size_ == 0) return;
        data_ = static_cast<T*>(::operator new(sizeof(T) * static_cast<std::size_t>(size_),
                                               std::align_val_t{storage_alignment}));
        std::uninitialized_value_construct_n(data_, size_);
    }
    aligned_buffer(const aligned_buffer& other) : aligned_buffer(other.size_) {
        std::copy_n(other.data_, size_, data_);
    }
    aligned_buffer(aligned_buffer&& other) noexcept
        : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
    aligned_buffer& operator=(aligned_buffer other) noexcept {
        swap(other);
        return *this;
    }
    ~aligned_buffer() {
        if (!data_) return;
        std::destroy_n(data_, size_);
        ::operator delete(data_, std::align_val_t{storage_alignment});
    }
    void swap(aligned_buffer& other) noexcept {
        std::swap(data_, other.data_);
        std::swap(size_, other.size_);
    }
    T* data() const noexcept { return data_; }
    index_t size() const noexcept { return size_; }

private:
    T* data_ = nullptr;
    index_t size_ = 0;
};

}  // namespace detail

LOOM_END_NAMESPACE
