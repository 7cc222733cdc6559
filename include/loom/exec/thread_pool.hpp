/// \file
/// \brief A small persistent pool of worker threads for the `par` executor. A job is split
/// into tasks; the calling thread works too; the first exception a task throws is rethrown
/// in the caller after every worker has stopped, and no worker ever terminates the program.
#pragma once

#include <loom/config.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

LOOM_BEGIN_NAMESPACE
namespace detail {

class thread_pool {
public:
    // The process-wide pool, with one worker per hardware thread beyond the caller's.
    static thread_pool& instance() {
        static thread_pool pool(std::max(1u, std::thread::hardware_concurrency()) - 1);
        return pool;
    }

    std::size_t workers() const { return threads_.size(); }

    // Runs task(i) for i in [0, tasks) on at most `width` threads (the caller included).
    // Jobs from different callers are serialised.
    void run(std::size_t tasks, std::size_t width, const std::function<void(std::size_t)>& task) {
        if (in_task() || width <= 1 || tasks <= 1) {  // nested or tiny: run here, in order
            for (std::size_t i = 0; i < tasks; ++i) task(i);
            return;
        }
        std::lock_guard<std::mutex> one_job(job_mutex_);
        const std::size_t helpers = std::min({width > 0 ? width - 1 : 0, threads_.size(),
                                              tasks > 0 ? tasks - 1 : 0});
        {
            std::lock_guard<std::mutex> lock(mutex_);
            task_ = &task;
            tasks_ = tasks;
            next_.store(0);
            error_ = nullptr;
            helpers_wanted_ = helpers;
            helpers_running_ = helpers;
            ++generation_;
        }
        wake_.notify_all();
        work();
        std::unique_lock<std::mutex> lock(mutex_);
        done_.wait(lock, [&] { return helpers_running_ == 0; });
        task_ = nullptr;
        if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    }

    ~thread_pool() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stop_ = true;
        }
        wake_.notify_all();
        for (auto& t : threads_) t.join();
    }

private:
    explicit thread_pool(std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) threads_.emplace_back([this, i] { loop(i); });
    }

    static bool& in_task() {
        static thread_local bool flag = false;
        return flag;
    }

    void work() {
        in_task() = true;
        struct reset {
            ~reset() { in_task() = false; }
        } on_exit;
        for (;;) {
            const std::size_t i = next_.fetch_add(1);
            if (i >= tasks_) return;
            try {
                (*task_)(i);
            } catch (...) {
                std::lock_guard<std::mutex> lock(mutex_);
                if (!error_) error_ = std::current_exception();
                next_.store(tasks_);  // the others stop taking tasks
            }
        }
    }

    void loop(std::size_t id) {
        std::size_t seen = 0;
        for (;;) {
            {
                std::unique_lock<std::mutex> lock(mutex_);
                wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
                if (stop_) return;
                seen = generation_;
                if (id >= helpers_wanted_) continue;
            }
            work();
            {
                std::lock_guard<std::mutex> lock(mutex_);
                --helpers_running_;
            }
            done_.notify_all();
        }
    }

    std::vector<std::thread> threads_;
    std::mutex job_mutex_, mutex_;
    std::condition_variable wake_, done_;
    const std::function<void(std::size_t)>* task_ = nullptr;
    std::size_t tasks_ = 0, helpers_wanted_ = 0, helpers_running_ = 0, generation_ = 0;
    std::atomic<std::size_t> next_{0};
    std::exception_ptr error_;
    bool stop_ = false;
};

}  // namespace detail
LOOM_END_NAMESPACE
