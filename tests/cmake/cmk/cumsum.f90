subroutine cumsum(x, n, y)
  integer, intent(in) :: n
  real(8), intent(in) :: x(n)
  real(8), intent(out) :: y(n)
  integer :: i
  y(1) = x(1)
  do i = 2, n
    y(i) = y(i - 1) + x(i)
  end do
end subroutine cumsum
