/// \file
/// \brief loom's version: the single place it is written down (CMake reads it from here).
#pragma once

/// Major version; a change breaks source or binary compatibility.
#define LOOM_VERSION_MAJOR 0
/// Minor version; a change adds features compatibly.
#define LOOM_VERSION_MINOR 1
/// Patch version; a change only fixes bugs.
#define LOOM_VERSION_PATCH 0
