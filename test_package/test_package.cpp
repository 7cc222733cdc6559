// The first lines a user of loom writes. Conan's test_package, and the find_package and
// add_subdirectory consumer tests (tests/consumers/), all build this one file.
#include <loom/loom.hpp>
int main() {
  constexpr loom::axis<"row"> r; constexpr loom::axis<"col"> c;
  loom::tensor<float, "row", "col"> x({r = 2, c = 3}, 1.5f);   // filled with 1.5
  loom::tensor<float, "row"> s = loom::sum(x, c);
  return s(r = 1) == 4.5f ? 0 : 1;
}
