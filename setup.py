"""Build rackval's compiled kernel, ``rackval._thermal``.

Project metadata lives in ``pyproject.toml``; this file only declares the
Cython extension. The kernel uses typed memoryviews only (no NumPy C-API), so
no NumPy include directory is needed.
"""

import sys

from Cython.Build import cythonize
from setuptools import Extension, setup

COMPILER_DIRECTIVES = {
    "language_level": 3,
    "boundscheck": False,
    "wraparound": False,
    "cdivision": True,
    "initializedcheck": False,
    "nonecheck": False,
}

extra_compile_args = [] if sys.platform == "win32" else ["-O3"]

extensions = [
    Extension(
        "rackval._thermal",
        ["rackval/_thermal.pyx"],
        depends=["rackval/_hydraulics.pxi", "rackval/_heat.pxi"],
        extra_compile_args=extra_compile_args,
    ),
]

setup(ext_modules=cythonize(extensions, compiler_directives=COMPILER_DIRECTIVES))
