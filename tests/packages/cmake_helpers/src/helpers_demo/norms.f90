subroutine norm1(x, n, r)
  integer, intent(in) :: n
  real(8), intent(in) :: x(n)
  real(8), intent(out) :: r
  r = sum(abs(x))
end subroutine norm1

subroutine hidden(r)
  real(8), intent(out) :: r
  r = -1
end subroutine hidden
