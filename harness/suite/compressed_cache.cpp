// SPDX-License-Identifier: MIT
#include "suite/compressed_cache.hpp"

#include <condition_variable>
#include <list>
#include <map>
#include <mutex>

namespace wsh::suite {

struct compressed_cache::impl {
    struct entry {
        std::shared_ptr<const bytes> data;  // null while being computed
        std::list<compressed_key>::iterator age;
    };
    std::size_t cap;
    mutable std::mutex mutex;
    std::condition_variable computed;
    std::map<compressed_key, entry> entries;
    std::list<compressed_key> by_age;  // front: most recently used; ready entries only
    std::size_t size = 0;
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;

    void evict()
    {
        while (size > cap && !by_age.empty()) {
            auto it = entries.find(by_age.back());
            size -= it->second.data->size();
            entries.erase(it);
            by_age.pop_back();
        }
    }
};

compressed_cache::compressed_cache(std::size_t cap_bytes) : impl_(std::make_unique<impl>())
{
    impl_->cap = cap_bytes;
}

compressed_cache::~compressed_cache() = default;

compressed_cache& compressed_cache::shared()
{
    static compressed_cache cache(16u << 20);
    return cache;
}

std::shared_ptr<const compressed_cache::bytes> compressed_cache::get(const compressed_key& key,
                                                                     const std::function<bytes()>& make)
{
    impl& s = *impl_;
    std::unique_lock lock(s.mutex);
    for (;;) {
        auto it = s.entries.find(key);
        if (it == s.entries.end()) break;
        if (it->second.data) {
            ++s.hits;
            s.by_age.splice(s.by_age.begin(), s.by_age, it->second.age);
            return it->second.data;
        }
        s.computed.wait(lock);  // another thread is computing it: look again when it is done
    }
    ++s.misses;
    s.entries.emplace(key, impl::entry{});
    lock.unlock();
    std::shared_ptr<const bytes> data;
    try {
        data = std::make_shared<const bytes>(make());
    } catch (...) {
        lock.lock();
        s.entries.erase(key);
        s.computed.notify_all();
        throw;
    }
    lock.lock();
    auto& e = s.entries.at(key);
    e.data = data;
    s.by_age.push_front(key);
    e.age = s.by_age.begin();
    s.size += data->size();
    s.evict();
    s.computed.notify_all();
    return data;
}

std::uint64_t compressed_cache::hits() const
{
    std::lock_guard lock(impl_->mutex);
    return impl_->hits;
}

std::uint64_t compressed_cache::misses() const
{
    std::lock_guard lock(impl_->mutex);
    return impl_->misses;
}

std::size_t compressed_cache::stored_bytes() const
{
    std::lock_guard lock(impl_->mutex);
    return impl_->size;
}

}  // namespace wsh::suite
