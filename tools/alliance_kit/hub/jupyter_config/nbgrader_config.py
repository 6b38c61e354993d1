# nbgrader on the hub: one course, each person's hub user name as the student id.
from alliance_kit.hub.singleuser import configure_nbgrader

configure_nbgrader(c)  # noqa: F821 - c is provided by nbgrader when it reads this file
