"""The rule table: one record per primitive, grouped by family. Importing this package
registers every primitive and installs the array interface on boxes.

Naming rule: a record is bound to ``<name>_p`` (``<name>`` being its registry name),
and to no other name; the function users call is ``<name>``, a separate function in
front of it (a ``def`` with NumPy's signature, or ``ufunc_function(<name>_p)`` for a
ufunc), never the record itself. In every rule, ``ans`` is the primal output and ``g``
the incoming cotangent (VJP) or tangent (JVP).

The modules, each importing only those above it in this list:

* ``_args`` (argument handling) and ``_helpers`` (the rule shapes, ``unbroadcast``, and
  the records they are made of: ``sum``, ``reshape``, ``broadcast_to``, ``astype``,
  ``real``, ``conj``);
* elementwise: ``discrete`` (rounding, comparisons, logic), ``selection`` (``where``,
  ``maximum``, ``clip``, ...), ``elementwise`` (arithmetic, powers, exponentials,
  logarithms, complex parts), ``trigonometric`` (and hyperbolic);
* arrays: ``shape`` (reshaping, transposing, and the ``concatenate``/``split`` records),
  ``indexing``, then ``joining``, ``ordering``, ``creation``, ``index_tricks``;
* ``reductions``, ``reductions_extrema``, ``reductions_cumulative``, then ``padding``;
* ``products_einsum``, ``products_diagonal``, ``products``;
* ``linalg_common``, ``linalg_solve``, ``linalg_decomp``, ``linalg_eig``, ``linalg_det``,
  ``linalg_norms``, ``linalg``;
* ``special_kernels`` (forwards), ``special``, ``special_reductions``, ``special_scipy``
  (SciPy's forwards, imported when first called; ``_scipy`` does the importing);
  ``windows`` (sliding windows for convolution and pooling);
* SciPy's solvers: ``scipy_linalg`` (triangular, Sylvester, matrix square root),
  ``integrate`` (``odeint`` and its adjoint);
* ``fft`` (the Fourier transforms);
* compositions of the above with no records of their own: ``statistics`` (``median``,
  ``percentile``, ``cov`` ...), ``numpy_names`` and ``numpy_names_calculus`` (NumPy's
  remaining differentiable names), ``stats_norm``, ``stats_univariate``,
  ``stats_multivariate`` (``scipy.stats``' distributions); ``passthrough`` (NumPy's
  functions without a derivative: constants, or refused on traced values);
* ``boxes`` (the array interface of boxes);
* ``batching`` (the batching rules of ``vmap``: shared moves and rule shapes), then
  ``batching_arrays`` and ``batching_products`` (the rules of one primitive each).

A new primitive goes into the module of its family, with a spec in
``tests/primitives/specs_<family>.py``; ``chainrule.numpy`` (or ``.linalg``,
``chainrule.scipy.special``) re-exports the module's ``__all__``.
"""

from chainrule.primitives import (  # noqa: F401
    batching_arrays,
    batching_products,
    boxes,
    creation,
    index_tricks,
    integrate,
    linalg,
    linalg_eig,
    padding,
    reductions_cumulative,
    scipy_linalg,
    special_reductions,
    special_scipy,
    stats_multivariate,
    stats_univariate,
    trigonometric,
    windows,
)
