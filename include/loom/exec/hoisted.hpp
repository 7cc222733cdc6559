/// \file
/// \brief The temporaries of hoisted reductions during one assignment: shared between equal
/// reductions, and filled either whole before the loop nest or one element per row of the
/// nest, just before that row runs (so the row's operands are read from cache, not memory).
#pragma once

#include <loom/exec/aliasing.hpp>
#include <loom/exec/node_identity.hpp>
#include <loom/exec/policy.hpp>
#include <loom/exec/simd/evaluate.hpp>
#include <loom/plan/hoist.hpp>
#include <loom/storage/tensor.hpp>

#include <algorithm>
#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <vector>

LOOM_BEGIN_NAMESPACE
namespace detail {

// Temporaries made by hoisting during one top-level assignment, shared by equal reductions
// (softmax names max(x, j) twice; it is computed once).
class hoist_cache {
public:
    // The innermost cache in use on this thread, or null.
    static hoist_cache*& current() {
        static thread_local hoist_cache* active = nullptr;
        return active;
    }
    // The temporary of shape `s` of a reduction equal to `id`, or null.
    template <class Tensor>
    Tensor* find(const node_identity& id, const typename Tensor::shape_type& s) const {
        for (const auto& e : entries_) {
            if (e.tensor_type != &type_address<Tensor> || !(e.id == id)) continue;
            auto* t = static_cast<Tensor*>(e.tensor.get());
            if (t->shape() == s) return t;
        }
        return nullptr;
    }
    // Keeps `t` for the rest of the assignment, found by `id` (an empty id: never found).
    template <class Tensor>
    Tensor& add(node_identity id, Tensor&& t) {
        auto owned = std::make_shared<Tensor>(std::move(t));
        Tensor& ref = *owned;
        entries_.push_back({std::move(id), &type_address<Tensor>, std::move(owned)});
        return ref;
    }

private:
    struct entry {
        node_identity id;
        const char* tensor_type;
        std::shared_ptr<void> tensor;
    };
    std::vector<entry> entries_;
};

// The nest's point from its index array (as the drivers keep it).
template <class Axes>
point<Axes> point_from(const index_t* index) {
    point<Axes> p;
    std::copy_n(index, Axes::size, p.index);
    return p;
}

// The point of a temporary over Layout (the nest's axes less one) at the nest's index.
template <class Layout, class Axes>
point<Layout> row_point(const index_t* index) {
    const point<Axes> p = point_from<Axes>(index);
    point<Layout> q;
    copy_by_name(q, p, std::make_index_sequence<Axes::size>{});
    return q;
}

// How to fill the temporaries of one assignment, in an order where each comes after the
// temporaries it reads. Not a template: it is compiled once, not per destination type.
class hoisted_fills {
public:
    struct fill {
        std::function<void()> whole;                // the whole temporary, vectorised
        // Its element for one row of the nest; the second index, when not null, is the
        // row to come, whose operands a long row's pass prefetches.
        std::function<void(const index_t*, const index_t*)> one;
        std::size_t row_axis = npos;  // the one loop axis the temporary lacks, if exactly one
    };
    void add(fill f) { fills_.push_back(std::move(f)); }
    bool empty() const { return fills_.empty(); }
    // Whether every temporary holds one value per row of a nest whose rows run along the
    // loop axis at position k, so that it can be filled just before each row.
    bool per_row_along(std::size_t k) const {
        if (fills_.empty() || k == npos) return false;
        for (const auto& f : fills_)
            if (f.row_axis != k) return false;
        return true;
    }
    void fill_all() const {
        for (const auto& f : fills_) f.whole();
    }
    // Fills the elements for the row at the nest's point `index`; `next` is the row to come,
    // or null. The first pass reads the row from memory; the later ones, which find it in
    // cache, prefetch the next row meanwhile (prefetching in the first pass too measured
    // slower: the next row then arrives a pass early and crowds the cache).
    void fill_row(const index_t* index, const index_t* next) const {
        const index_t* ahead = nullptr;
        for (const auto& f : fills_) {
            f.one(index, ahead);
            ahead = next;
        }
    }
    // The fills for a nest to run per row (null: they were filled whole now, unless `dry`):
    // per row when each temporary holds one value per row along the vector axis `vec`, the
    // rows run whole (`whole_rows`: no sweep, tiles or blocks) and `per_row` allows it (the
    // row's operands then stay in cache between the reductions and the row). Kept terms are
    // stored in the destination and read back by the nest, whose stores then update lines
    // already in cache: `stream` is turned off, as streaming stores would cost a round trip.
    LOOM_NOINLINE const hoisted_fills* attach(std::size_t vec, bool whole_rows, bool& stream,
                                              bool dry, bool per_row) const {
        if (fills_.empty()) return nullptr;
        if (writes_destination_) stream = false;
        if (per_row && whole_rows && per_row_along(vec)) return this;
        if (!dry) fill_all();
        return nullptr;
    }
    // Whether filling stores into the destination (kept terms), which the nest then reads.
    bool writes_destination() const { return writes_destination_; }
    void note_destination_written() { writes_destination_ = true; }

private:
    std::vector<fill> fills_;
    bool writes_destination_ = false;
};

// The position of the one axis of Loop that Layout lacks, when Layout is Loop less one axis.
template <class Layout, class Loop>
constexpr std::size_t missing_axis() {
    if constexpr (Layout::size + 1 != Loop::size) {
        return npos;
    } else {
        std::size_t missing = npos, absent = 0;
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            ((contains_v<axis_at_t<Loop, K>::name, Layout> ? void()
                                                           : (void(++absent), void(missing = K))),
             ...);
        }(std::make_index_sequence<Loop::size>{});
        return absent == 1 ? missing : npos;
    }
}

// Whether a hoisted reduction R over one axis can store its terms in a `T` tensor over the
// destination's axes `Axes` while it reduces them (then read instead of recomputed).
template <class T, class Axes, class R>
constexpr bool keeps_terms() {
    if constexpr (R::kind != node_kind::reduce) {
        return false;
    } else {
        using C = std::remove_cvref_t<decltype(std::declval<R>().child)>;
        // A leaf is never stashed (reading it again costs what reading it back would).
        return C::kind != node_kind::leaf && R::reduced_axes::size == 1 &&
               missing_axis<typename R::axes_type, Axes>() != npos &&
               std::is_same_v<typename C::value_type, T> &&
               std::is_same_v<typename R::value_type, T> && simd::packable<T, T> &&
               simd::lane_reducer<std::remove_cvref_t<decltype(std::declval<R>().reducer)>> &&
               same_axes_v<typename C::axes_type, Axes>;
    }
}

// The operands stashed during one hoisting, and the reductions that could store them.
template <class T, class Axes>
struct stash_book {
    using view_type = basic_tensor_view<T, Axes>;
    // A stashed operand: where it is kept, and how to compute it there when no reduction
    // stores it in passing.
    struct stash {
        node_identity id;
        std::string what;
        view_type target;
        std::function<void()> whole;
        bool kept = false;
    };
    // A reduction over one axis whose terms are over the destination's axes.
    struct keeper {
        node_identity child;
        std::shared_ptr<std::optional<view_type>> target;  // set when a stash matches
    };
    std::vector<stash> stashes;
    std::vector<keeper> keepers;
    bool dst_read = false;  // the expression reads the destination (an in-place update)
};

// Hoist's materialiser for the loops of a destination `dst` (`Top`: not inside another
// temporary): allocates each temporary, hoists the reductions nested in it first (so their
// fills come first), and records how to fill it; computes nothing itself. At the top, an
// operand that a sibling reduction reduces (`e` in `e / sum(e, j)`) is stashed: the
// reduction's pass stores the terms it computes into the destination, and the nest reads
// them back in place (so `e` is computed once).
template <class Policy, class T, class Axes, bool Top = true>
struct deferred_materializer {
    using view_type = basic_tensor_view<T, Axes>;
    const Policy& policy;
    hoist_cache& cache;
    hoisted_fills& fills;
    view_type dst;
    std::vector<hoisted_reduction>* log = nullptr;

    std::shared_ptr<stash_book<T, Axes>> book = std::make_shared<stash_book<T, Axes>>();

    // The materialiser for what a temporary or a stashed operand contains: it stashes nothing.
    deferred_materializer<Policy, T, Axes, false> within() const {
        return {policy, cache, fills, dst, nullptr, book};
    }

    template <class Loop, class C, class S>
    static constexpr bool stashes = Top && same_axes_v<Loop, Axes> &&
                                    std::is_same_v<typename C::value_type, T> &&
                                    keeps_terms<T, Axes, S>();

    template <class Layout, class R>
    auto operator()(type_tag<Layout>, const R& r, const shape<Layout>& s) {
        using V = typename R::value_type;
        using tensor_type = basic_tensor<V, Layout>;
        node_identity id(r);
        if (const tensor_type* hit = cache.template find<tensor_type>(id, s))
            return leaf<V, Layout>(hit->view());
        auto nested = within();
        const auto inner = hoist(r, s, nested, nullptr);
        tensor_type& tmp = cache.add(std::move(id), tensor_type(s));
        const auto out = tmp.view();
        typename hoisted_fills::fill f;
        f.row_axis = missing_axis<Layout, Axes>();
        f.whole = [policy = policy, out, inner] { assign_fresh(policy, out, inner); };
        if constexpr (missing_axis<Layout, Axes>() != npos) {  // else never filled per row
            f.one = [out, inner](const index_t* index, const index_t* next) {
                const point<Layout> q = row_point<Layout, Axes>(index);
                V& slot = out.data()[offset_of(q, out.strides().data())];
                using I = std::remove_cvref_t<decltype(inner)>;
                if constexpr (simd::vector_reducible<I>()) {  // as scalar_eval, prefetching
                    if constexpr (I::reduced_axes::size == 1) {
                        constexpr auto axis = axis_at_t<typename I::reduced_axes, 0>::name;
                        if (next && simd::strided_reads<axis>(inner.child) == 0) {
                            const point<Layout> ahead = row_point<Layout, Axes>(next);
                            slot = simd::vector_reduce<axis>(inner, q, nullptr, &ahead);
                            return;
                        }
                    }
                }
                slot = static_cast<V>(simd::scalar_eval<V>(inner, q));
            };
        }
        if constexpr (keeps_terms<T, Axes, R>()) {
            // When a stash matches (resolve()), the terms also go to its target; else as above.
            auto target = std::make_shared<std::optional<view_type>>();
            book->keepers.push_back({node_identity(r.child), target});
            f.whole = [policy = policy, out, inner, target, unkept = std::move(f.whole)] {
                if (!*target) return unkept();
                // The terms into the target, then the reduction of the target.
                executor<Policy>::assign(policy, **target, inner.child);
                using L = leaf<T, Axes>;
                using Red = std::remove_cvref_t<decltype(inner.reducer)>;
                assign_fresh(
                    policy, out,
                    reduce_node<L, typename R::reduced_axes, Red>(L(**target), inner.reducer,
                                                                  inner.extents));
            };
            f.one = [out, inner, target, unkept = std::move(f.one)](const index_t* index,
                                                                    const index_t* next) {
                if (!*target) return unkept(index, next);
                const point<Axes> p = point_from<Axes>(index);
                constexpr auto axis = axis_at_t<typename R::reduced_axes, 0>::name;
                constexpr std::size_t k = index_of_v<axis, Axes>;
                point<Layout> q;
                copy_by_name(q, p, std::make_index_sequence<Axes::size>{});
                const view_type& t = **target;
                point<Axes> row = p;
                row.index[k] = 0;
                T* first = t.data() + offset_of(row, t.strides().data());
                const index_t step = t.strides()[k];
                V& slot = out.data()[offset_of(q, out.strides().data())];
                if (step == 1) {
                    const point<Layout> ahead = next ? row_point<Layout, Axes>(next) : q;
                    slot = simd::vector_reduce<axis>(inner, q, first, next ? &ahead : nullptr);
                } else {
                    slot = simd::vector_reduce<axis>(inner, q, simd::strided_terms<T>{first, step});
                }
            };
        }
        fills.add(std::move(f));
        return leaf<V, Layout>(out);
    }

    // Keeps operand `c` (over the destination's axes) where the nest reads it back: the
    // destination itself for the first, a temporary for any other.
    template <class Loop, class C>
    leaf<T, Axes> stash(const C& c, const shape<Loop>& loop) {
        auto nested = within();
        const auto inner = hoist(c, loop, nested, log);
        const auto s = extents_by_name<Axes>(loop);
        // (A view's operator= copies elements, so the target is chosen, not reassigned.)
        const view_type target =
            book->stashes.empty() && !book->dst_read
                ? dst
                : cache.add(node_identity(), basic_tensor<T, Axes>(s)).view();
        book->stashes.push_back({node_identity(c), log ? c.describe() : std::string(), target,
                             [policy = policy, target, inner] {
                                 executor<Policy>::assign(policy, target, inner);
                             }});
        return leaf<T, Axes>(target);
    }

    // Pairs each stash with a reduction of the same operand, which then stores its terms;
    // a stash left alone is computed whole before the nest (and the nest runs whole).
    void resolve() {
        for (auto& st : book->stashes) {
            for (auto& k : book->keepers) {
                if (*k.target || !(k.child == st.id)) continue;
                k.target->emplace(st.target);
                st.kept = true;
                if (st.target.data() == dst.data()) fills.note_destination_written();
                break;
            }
            if (log) {
                const std::string where = st.target.data() == dst.data()
                                              ? "the destination"
                                              : "a temporary " + st.target.shape().to_string();
                log->push_back({st.what, where, false,
                                st.kept ? "stored in " + where +
                                              " by the pass of the reduction over it, read back there"
                                        : "computed first into " + where + ", read back there"});
            }
            if (!st.kept) fills.add({st.whole, {}, npos});
        }
    }
};

// with_hoisted (below) for a tree that hoists something.
template <class Policy, class T, class Axes, class N, class Go>
void with_materializer(const Policy& policy, const basic_tensor_view<T, Axes>& dst,
                       const N& node, bool dry, std::vector<hoisted_reduction>* log, Go& go) {
    hoist_cache local;
    hoist_cache*& active = hoist_cache::current();
    hoist_cache* const outer = active;
    hoist_cache& cache = outer ? *outer : local;
    struct restore {
        hoist_cache*& slot;
        hoist_cache* value;
        ~restore() { slot = value; }
    } on_exit{active, outer};
    active = &cache;
    hoisted_fills fills;
    deferred_materializer<Policy, T, Axes> materialize{policy, cache, fills, dst, log};
    const auto bound = node.bind();
    materialize.book->dst_read = overlaps(dst, bound);
    const auto hoisted = hoist(bound, dst.shape(), materialize, log).bind();
    materialize.resolve();
    if constexpr (std::is_invocable_v<Go&, const decltype(hoisted)&, const hoisted_fills&>) {
        go(hoisted, fills);
    } else {
        if (!dry) fills.fill_all();
        go(hoisted);
    }
}

// Hoists the reductions of `node` for the destination `dst`, then runs
// `go(bound_tree, fills)` while the temporaries live; `go` fills them (whole, or per row
// with the loop nest). A `go` taking only the tree gets them filled whole first. With `dry`
// (for explain()), temporaries are allocated and never filled.
template <class Policy, class T, class Axes, class N, class Go>
void with_hoisted(const Policy& policy, const basic_tensor_view<T, Axes>& dst, const N& node,
                  bool dry, std::vector<hoisted_reduction>* log, Go&& go) {
    using Bound = std::remove_cvref_t<decltype(node.bind())>;
    if constexpr (!has_hoistable<Axes, Bound>()) {  // nothing to hoist: no materialiser
        (void)policy, (void)dry, (void)log;
        const auto bound = node.bind();
        if constexpr (std::is_invocable_v<Go&, const Bound&, const hoisted_fills&>)
            go(bound, hoisted_fills{});
        else
            go(bound);
    } else {
        with_materializer(policy, dst, node, dry, log, go);
    }
}

}  // namespace detail
LOOM_END_NAMESPACE
