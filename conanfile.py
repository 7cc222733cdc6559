import os
import re

from conan import ConanFile
from conan.tools.build import check_min_cppstd
from conan.tools.files import copy, load
from conan.tools.layout import basic_layout

required_conan_version = ">=2.0"


class LoomConan(ConanFile):
    name = "loom"
    description = ("Header-only C++20 tensors with compile-time named axes, fused into "
                   "loop nests that run with SIMD on the CPU or as CUDA kernels.")
    license = "MIT"
    topics = ("tensor", "named-axes", "expression-templates", "simd", "cuda", "header-only")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    options = {"with_eigen": [True, False]}
    default_options = {"with_eigen": False}
    exports_sources = "include/*", "LICENSE"
    no_copy_source = True

    def set_version(self):
        # The version is written once, in include/loom/version.hpp.
        text = load(self, os.path.join(self.recipe_folder, "include", "loom", "version.hpp"))
        parts = [re.search(rf"#define LOOM_VERSION_{p}\s+(\d+)", text).group(1)
                 for p in ("MAJOR", "MINOR", "PATCH")]
        self.version = self.version or ".".join(parts)

    def layout(self):
        basic_layout(self, src_folder=".")

    def requirements(self):
        self.requires("xsimd/[>=8.1.0 <14]")
        if self.options.with_eigen:
            self.requires("eigen/[>=3.4.0 <6]")

    def package_id(self):
        self.info.clear()

    def validate(self):
        if self.settings.get_safe("compiler.cppstd"):
            check_min_cppstd(self, 20)

    def package(self):
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        copy(self, "*", os.path.join(self.source_folder, "include"),
             os.path.join(self.package_folder, "include"))

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "loom")
        self.cpp_info.set_property("cmake_target_name", "loom::loom")
        self.cpp_info.requires = ["xsimd::xsimd"]
        if self.options.with_eigen:
            self.cpp_info.requires.append("eigen::eigen")
            # The name a CMake install gives the Eigen interop target.
            self.cpp_info.set_property("cmake_target_aliases", ["loom::eigen"])
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
