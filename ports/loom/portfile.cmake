# vcpkg port of loom (header-only). To be filled in at each release: REPO is
# loom's GitHub home, REF the release tag, SHA512 the hash of that tag's source
# archive (vcpkg prints the right value when a build runs with SHA512 0).
vcpkg_from_github(
    OUT_SOURCE_PATH SOURCE_PATH
    REPO loom-org/loom
    REF "v${VERSION}"
    SHA512 0
    HEAD_REF main
)

# Header-only: one release configuration, so no debug directories are made.
set(VCPKG_BUILD_TYPE release)

# The eigen feature decides, never whatever Eigen happens to be installed.
vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
    FEATURES          eigen CMAKE_REQUIRE_FIND_PACKAGE_Eigen3
    INVERTED_FEATURES eigen CMAKE_DISABLE_FIND_PACKAGE_Eigen3
)

vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        ${FEATURE_OPTIONS}
        -DLOOM_BUILD_TESTS=OFF
        -DLOOM_BUILD_EXAMPLES=OFF
        -DLOOM_BUILD_BENCH=OFF
        -DLOOM_BUILD_DOCS=OFF
        -DLOOM_ENABLE_CUDA=OFF
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(CONFIG_PATH share/cmake/loom)

file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
