// The peer libraries, configured the way each is fastest. The configuration macros
// (EIGEN_USE_THREADS, XTENSOR_USE_XSIMD) are set for the whole target by CMake, so every
// translation unit sees the same inline templates.
#pragma once

#if !defined(EIGEN_USE_THREADS) || !defined(XTENSOR_USE_XSIMD)
#error "bench/CMakeLists.txt defines EIGEN_USE_THREADS and XTENSOR_USE_XSIMD for every TU"
#endif

#include <Eigen/Core>
#include <unsupported/Eigen/CXX11/Tensor>

#include <xtensor/xadapt.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>
#include <xtensor/xreducer.hpp>
#include <xtensor/xstrided_view.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>
#include <xtensor/xmanipulation.hpp>

#include <map>
#include <memory>

namespace bench {

// Eigen Tensor's thread-pool device with `n` threads (made once, kept for the run).
inline Eigen::ThreadPoolDevice& eigen_device(int n) {
    struct holder {
        Eigen::ThreadPool pool;
        Eigen::ThreadPoolDevice dev;
        explicit holder(int k) : pool(k), dev(&pool, k) {}
    };
    static std::map<int, std::unique_ptr<holder>> devices;
    auto& h = devices[n];
    if (!h) h = std::make_unique<holder>(n);
    return h->dev;
}

// Runs `assign(device)` on Eigen's default device for one thread, on a pool otherwise.
template <class F>
void eigen_on(int threads, F&& assign) {
    if (threads <= 1) assign(Eigen::DefaultDevice{});
    else assign(eigen_device(threads));
}

}  // namespace bench
