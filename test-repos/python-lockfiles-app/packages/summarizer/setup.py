from setuptools import setup

# Everything else lives in setup.cfg.
setup(
    tests_require=["pytest>=8"],
)
