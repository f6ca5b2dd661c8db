from fortran_from_c._dot import dot
