integer(c_int) function ffast_value() bind(C, name="ffast_value")
  use iso_c_binding, only: c_int
  ffast_value = 7
end function ffast_value
