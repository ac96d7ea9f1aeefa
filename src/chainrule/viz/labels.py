"""The labels viz writes for each primitive: a short symbol for the box in the picture,
and the local derivative of each differentiable argument, in words a learner can check.

The core holds no display strings; this table is where they live for
``viz``. A primitive missing here falls back to its NumPy name and "the VJP of
<name>"; ``tests/viz/test_labels.py`` lists which primitives still use that fallback.

Formulas use ``u`` for the input of a one-argument op, ``a, b`` for the inputs of a
two-argument op, ``y`` for the output; for array ops the "local derivative" is a
vector-Jacobian product, written in terms of the incoming cotangent ``g``.
"""

from __future__ import annotations

# name -> (symbol shown in the picture, local derivative per argument)
LABELS: dict[str, tuple[str, tuple[str, ...]]] = {
    # arithmetic
    "add": ("+", ("1", "1")),
    "subtract": ("\u2212", ("1", "\u22121")),
    "multiply": ("\u00d7", ("b", "a")),
    "safe_mul": ("\u00d7", ("b", "a")),
    "divide": ("\u00f7", ("1/b", "\u2212a/b\u00b2")),
    "power": ("^", ("b\u00b7a^(b\u22121)", "a^b\u00b7ln a")),
    "float_power": ("^", ("b\u00b7a^(b\u22121)", "a^b\u00b7ln a")),
    "negative": ("\u2212u", ("\u22121",)),
    "positive": ("+u", ("1",)),
    "square": ("u\u00b2", ("2u",)),
    "reciprocal": ("1/u", ("\u22121/u\u00b2",)),
    "sqrt": ("\u221a", ("1/(2\u221au)",)),
    "cbrt": ("\u221b", ("1/(3\u00b7u^(2/3))",)),
    "absolute": ("|u|", ("sign(u)",)),
    "mod": ("mod", ("1", "\u2212floor(a/b)")),
    "fmod": ("fmod", ("1", "\u2212trunc(a/b)")),
    "hypot": ("hypot", ("a/y", "b/y")),
    "maximum": ("max", ("1 where a \u2265 b", "1 where b > a")),
    "minimum": ("min", ("1 where a \u2264 b", "1 where b < a")),
    "fmax": ("fmax", ("1 where a \u2265 b", "1 where b > a")),
    "fmin": ("fmin", ("1 where a \u2264 b", "1 where b < a")),
    "clip": ("clip", ("1 inside [lo, hi], else 0",)),
    "where": ("where", ("", "1 where the condition holds", "1 where it does not")),
    # exponentials and logarithms
    "exp": ("exp", ("exp(u)",)),
    "exp2": ("exp2", ("2^u\u00b7ln 2",)),
    "expm1": ("expm1", ("exp(u)",)),
    "log": ("ln", ("1/u",)),
    "log2": ("log\u2082", ("1/(u\u00b7ln 2)",)),
    "log10": ("log\u2081\u2080", ("1/(u\u00b7ln 10)",)),
    "log1p": ("log1p", ("1/(1+u)",)),
    "logaddexp": ("logaddexp", ("e^a/(e^a+e^b)", "e^b/(e^a+e^b)")),
    "logaddexp2": ("logaddexp2", ("2^a/(2^a+2^b)", "2^b/(2^a+2^b)")),
    # trigonometric and hyperbolic
    "sin": ("sin", ("cos(u)",)),
    "cos": ("cos", ("\u2212sin(u)",)),
    "tan": ("tan", ("1 + tan\u00b2(u)",)),
    "arcsin": ("arcsin", ("1/\u221a(1\u2212u\u00b2)",)),
    "arccos": ("arccos", ("\u22121/\u221a(1\u2212u\u00b2)",)),
    "arctan": ("arctan", ("1/(1+u\u00b2)",)),
    "arctan2": ("arctan2", ("b/(a\u00b2+b\u00b2)", "\u2212a/(a\u00b2+b\u00b2)")),
    "sinh": ("sinh", ("cosh(u)",)),
    "cosh": ("cosh", ("sinh(u)",)),
    "tanh": ("tanh", ("1 \u2212 tanh\u00b2(u)",)),
    "arcsinh": ("arcsinh", ("1/\u221a(u\u00b2+1)",)),
    "arccosh": ("arccosh", ("1/\u221a(u\u00b2\u22121)",)),
    "arctanh": ("arctanh", ("1/(1\u2212u\u00b2)",)),
    "sinc": ("sinc", ("(cos(\u03c0u) \u2212 sinc(u))/u",)),
    "deg2rad": ("deg2rad", ("\u03c0/180",)),
    "rad2deg": ("rad2deg", ("180/\u03c0",)),
    # linear algebra (array rules: written as what happens to the cotangent g)
    "matmul": ("@", ("g @ b\u1d40", "a\u1d40 @ g")),
    "tensordot": ("tensordot", ("g contracted with b", "a contracted with g")),
    "einsum": ("einsum", ("g contracted with the other operands",) * 8),
    "transpose": ("\u1d40", ("g transposed back",)),
    "inv": ("inv", ("\u2212y\u1d40 @ g @ y\u1d40",)),
    "det": ("det", ("g\u00b7y\u00b7inv(u)\u1d40",)),
    "solve": ("solve", ("\u2212solve(a\u1d40, g) @ y\u1d40", "solve(a\u1d40, g)")),
    "vector_norm": ("\u2016u\u2016", ("u/\u2016u\u2016 (for the 2-norm)",)),
    "trace": ("tr", ("g\u00b7I",)),
    # reductions: the cotangent is spread back over the reduced axes
    "sum": ("\u03a3", ("1 for every element (g broadcast back)",)),
    "prod": ("\u03a0", ("y/u (product of the others)",)),
    "max": ("max", ("1 at the maximum (shared on ties)",)),
    "min": ("min", ("1 at the minimum (shared on ties)",)),
    "cumsum": ("cumsum", ("reverse cumulative sum of g",)),
    "cumprod": ("cumprod", ("from the running products",)),
    # shape: the cotangent is moved back, values unchanged
    "reshape": ("reshape", ("1 (g reshaped back)",)),
    "broadcast_to": ("broadcast", ("1 (g summed over the broadcast axes)",)),
    "getitem": ("[\u00b7]", ("1 at the selected elements (scattered back)",)),
    "tuple_getitem": ("[i]", ("1 for the selected result",)),
    "concatenate": ("concat", ("1 (g split back)",) * 8),
    "split": ("split", ("1 (pieces joined back)",)),
    "flip": ("flip", ("1 (g flipped back)",)),
    "roll": ("roll", ("1 (g rolled back)",)),
    "pad": ("pad", ("1 (padding cropped off)",)),
    "diagonal": ("diag", ("1 on the diagonal",)),
    "diag": ("diag", ("1 on the diagonal",)),
    "triu": ("triu", ("1 on and above the diagonal",)),
    "tril": ("tril", ("1 on and below the diagonal",)),
    "index_update": ("set[\u00b7]", ("1 outside the written part", "1 at the written part")),
    "scatter_add": ("scatter+", ("g gathered back at the index",)),
    "astype": ("astype", ("1",)),
    "real": ("re", ("1",)),
    "imag": ("im", ("\u2212i\u00b7g",)),
    "conj": ("conj", ("conj(g)",)),
    "stop_gradient": ("stop", ("0",)),
    "pinv": ("pinv", ("from the pseudo-inverse's differential",)),
    "slogdet": ("slogdet", ("inv(u)\u1d40 (for log|det|)",)),
    "cholesky": ("cholesky", ("from L\u207b\u1d40 \u03a6(L\u1d40 g) L\u207b\u00b9",)),
    "eigh": ("eigh", ("from the eigenvectors and eigenvalue gaps",)),
    "eigvalsh": ("eigvalsh", ("v\u1d62 v\u1d62\u1d40 per eigenvalue",)),
    "qr": ("qr", ("from the Q and R cotangents",)),
    "svd": ("svd", ("from U, S, V and the singular value gaps",)),
    "svdvals": ("svdvals", ("u\u1d62 v\u1d62\u1d40 per singular value",)),
    # neural-network and special functions
    "softmax": ("softmax", ("y\u00b7(g \u2212 \u03a3 g\u00b7y)",)),
    "log_softmax": ("log_softmax", ("g \u2212 softmax(u)\u00b7\u03a3g",)),
    "logsumexp": ("logsumexp", ("softmax(u)",)),
    "expit": ("\u03c3", ("\u03c3(u)\u00b7(1 \u2212 \u03c3(u))",)),
    "logit": ("logit", ("1/(u\u00b7(1\u2212u))",)),
    "erf": ("erf", ("2/\u221a\u03c0\u00b7e^(\u2212u\u00b2)",)),
    "erfc": ("erfc", ("\u22122/\u221a\u03c0\u00b7e^(\u2212u\u00b2)",)),
    "erfinv": ("erfinv", ("\u221a\u03c0/2\u00b7e^(y\u00b2)",)),
    "gammaln": ("ln\u0393", ("digamma(u)",)),
    "digamma": ("\u03c8", ("polygamma(1, u)",)),
    "polygamma": ("\u03c8\u207d\u207f\u207e", ("", "polygamma(n+1, u)")),
    "xlogy": ("x\u00b7ln y", ("ln b", "a/b")),
    "xlog1py": ("x\u00b7log1p y", ("log1p(b)", "a/(1+b)")),
    # SciPy-backed special functions ("" where an order or shape parameter has none)
    "gamma": ("\u0393", ("\u0393(u)\u00b7\u03c8(u)",)),
    "rgamma": ("1/\u0393", ("\u2212\u03c8(u)/\u0393(u)",)),
    "beta": (
        "B",
        (
            "B(a,b)\u00b7(\u03c8(a) \u2212 \u03c8(a+b))",
            "B(a,b)\u00b7(\u03c8(b) \u2212 \u03c8(a+b))",
        ),
    ),
    "betaln": ("lnB", ("\u03c8(a) \u2212 \u03c8(a+b)", "\u03c8(b) \u2212 \u03c8(a+b)")),
    "gammainc": ("P", ("", "b^(a\u22121)\u00b7e^(\u2212b)/\u0393(a)")),
    "gammaincc": ("Q", ("", "\u2212b^(a\u22121)\u00b7e^(\u2212b)/\u0393(a)")),
    "betainc": ("I", ("", "", "x^(a\u22121)(1\u2212x)^(b\u22121)/B(a,b)")),
    "stdtr": ("t-cdf", ("", "Student's t density at b")),
    "erfcinv": ("erfcinv", ("\u2212\u221a\u03c0/2\u00b7e^(y\u00b2)",)),
    "ndtri": ("\u03a6\u207b\u00b9", ("\u221a(2\u03c0)\u00b7e^(y\u00b2/2)",)),
    "log_ndtr": ("ln\u03a6", ("\u03c6(u)/\u03a6(u)",)),
    "jv": ("J", ("", "(J(a\u22121, b) \u2212 J(a+1, b))/2")),
    "yv": ("Y", ("", "(Y(a\u22121, b) \u2212 Y(a+1, b))/2")),
    "iv": ("I", ("", "(I(a\u22121, b) + I(a+1, b))/2")),
    "ive": ("Ie", ("", "(Ie(a\u22121, b) + Ie(a+1, b))/2 \u2212 sign(b)\u00b7y")),
    "j0": ("J\u2080", ("\u2212J\u2081(u)",)),
    "j1": ("J\u2081", ("(J\u2080(u) \u2212 J\u2082(u))/2",)),
    "y0": ("Y\u2080", ("\u2212Y\u2081(u)",)),
    "y1": ("Y\u2081", ("(Y\u2080(u) \u2212 Y\u2082(u))/2",)),
    "i0": ("I\u2080", ("I\u2081(u)",)),
    "i1": ("I\u2081", ("(I\u2080(u) + I\u2082(u))/2",)),
    # SciPy's solvers and convolution
    "solve_triangular": (
        "solve_tri",
        ("\u2212tri(solve_tri(a\u1d40, g) y\u1d40)", "solve_tri(a\u1d40, g)"),
    ),
    "solve_sylvester": (
        "sylvester",
        ("\u2212G X\u1d40", "\u2212X\u1d40 G", "G: A\u1d40G + GB\u1d40 = g"),
    ),
    "sqrtm": ("\u221a", ("G: y\u1d40G + Gy\u1d40 = g",)),
    "convolve_full": ("\u2217", ("g \u22c6 b (correlation)", "g \u22c6 a (correlation)")),
    "sliding_windows": ("windows", ("1 (g added back to each window's pixels)",)),
    "sliding_windows_transpose": ("unwindow", ("1 (g cut back into windows)",)),
}


def symbol(op: str) -> str:
    """Short symbol for ``op`` (``+``, ``×``, ``tanh``); the op's name when unknown."""
    entry = LABELS.get(op)
    return entry[0] if entry else op


def local_derivative(op: str, argnum: int) -> str | None:
    """The local derivative of ``op`` with respect to argument ``argnum``, or None."""
    entry = LABELS.get(op)
    if entry is None or argnum >= len(entry[1]) or not entry[1][argnum]:
        return None
    return entry[1][argnum]


def uses_fallback(op: str) -> bool:
    return op not in LABELS
