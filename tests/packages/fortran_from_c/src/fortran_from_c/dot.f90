function fdot(n, x, y) result(total) bind(C, name="fdot")
  use iso_c_binding, only: c_int, c_double
  implicit none
  integer(c_int), value :: n
  real(c_double), intent(in) :: x(n), y(n)
  real(c_double) :: total
  total = dot_product(x, y)
end function fdot
