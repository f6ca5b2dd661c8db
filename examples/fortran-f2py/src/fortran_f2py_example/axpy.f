C     y := a*x + y, fixed-form Fortran 77 as old libraries have it.
      SUBROUTINE AXPY(N, A, X, Y)
      INTEGER N, I
      DOUBLE PRECISION A, X(N), Y(N)
Cf2py intent(in,out) y
      DO 10 I = 1, N
         Y(I) = A * X(I) + Y(I)
   10 CONTINUE
      END
