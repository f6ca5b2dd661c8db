from setuptools import Extension


def pdm_build_update_setup_kwargs(context, setup_kwargs):
    setup_kwargs.update(
        ext_modules=[Extension("pdmpkg._accel", ["src/pdmpkg/_accel.c"], extra_compile_args=["-O2"])]
    )
