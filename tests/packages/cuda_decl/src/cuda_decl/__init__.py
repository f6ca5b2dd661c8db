from cuda_decl._gpu import runtime_version
