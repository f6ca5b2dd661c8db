! Moving average of x over windows of `width` values: an array in, an array out.
subroutine moving_average(x, n, width, y)
  implicit none
  integer, intent(in) :: n, width
  real(8), intent(in) :: x(n)
  real(8), intent(out) :: y(n - width + 1)
  integer :: i
  do i = 1, n - width + 1
    y(i) = sum(x(i:i + width - 1)) / width
  end do
end subroutine moving_average
