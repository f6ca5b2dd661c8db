from skscm._native import VERSION
from skscm._version import version
