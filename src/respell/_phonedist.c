/* The phoneme edit distance of respell.phonetics, in C: the same arithmetic in the same
 * order as phoneme_distance and phoneme_similarity, so the same doubles.
 *
 * Phonemes are one character each, numbered from a first code point; the costs of
 * inserting or deleting each and of substituting one for another are set from Python
 * (set_costs) and grow as new phonemes appear. A string with a phoneme not yet costed
 * gives None, and Python sets the costs again.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdlib.h>
#include <string.h>

static double *indel = NULL; /* n: cost of inserting or deleting each phoneme */
static double *sub = NULL;   /* n x n: cost of substituting row for column */
static Py_ssize_t n = 0;
static Py_UCS4 first = 0;

static PyObject *
set_costs(PyObject *self, PyObject *args)
{
    Py_buffer ib, sb;
    Py_ssize_t count;
    unsigned long start;
    if (!PyArg_ParseTuple(args, "y*y*nk", &ib, &sb, &count, &start))
        return NULL;
    if (count < 0 || ib.len != count * (Py_ssize_t)sizeof(double) ||
        sb.len != count * count * (Py_ssize_t)sizeof(double)) {
        PyBuffer_Release(&ib);
        PyBuffer_Release(&sb);
        PyErr_SetString(PyExc_ValueError, "cost arrays do not match the phoneme count");
        return NULL;
    }
    double *new_indel = PyMem_Malloc(ib.len ? ib.len : 1);
    double *new_sub = PyMem_Malloc(sb.len ? sb.len : 1);
    if (!new_indel || !new_sub) {
        PyMem_Free(new_indel);
        PyMem_Free(new_sub);
        PyBuffer_Release(&ib);
        PyBuffer_Release(&sb);
        return PyErr_NoMemory();
    }
    memcpy(new_indel, ib.buf, ib.len);
    memcpy(new_sub, sb.buf, sb.len);
    PyBuffer_Release(&ib);
    PyBuffer_Release(&sb);
    PyMem_Free(indel);
    PyMem_Free(sub);
    indel = new_indel;
    sub = new_sub;
    n = count;
    first = (Py_UCS4)start;
    Py_RETURN_NONE;
}

/* Phoneme numbers of s into out; 0 if one has no costs yet. */
static int
numbers(PyObject *s, Py_ssize_t len, Py_ssize_t *out)
{
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < first || (Py_ssize_t)(c - first) >= n)
            return 0;
        out[i] = (Py_ssize_t)(c - first);
    }
    return 1;
}

#define STACK 128

static PyObject *
similarity(PyObject *self, PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "UU", &a, &b))
        return NULL;
    Py_ssize_t la = PyUnicode_GET_LENGTH(a), lb = PyUnicode_GET_LENGTH(b);
    if (la == 0 && lb == 0)
        return PyFloat_FromDouble(1.0);
    Py_ssize_t stack_a[STACK], stack_b[STACK];
    double stack_prev[STACK + 1], stack_cur[STACK + 1];
    Py_ssize_t *ia = stack_a, *ib = stack_b;
    double *prev = stack_prev, *cur = stack_cur;
    PyObject *result = NULL;
    if (la > STACK || lb > STACK) {
        ia = PyMem_Malloc(sizeof(Py_ssize_t) * (la + 1));
        ib = PyMem_Malloc(sizeof(Py_ssize_t) * (lb + 1));
        prev = PyMem_Malloc(sizeof(double) * (lb + 1));
        cur = PyMem_Malloc(sizeof(double) * (lb + 1));
        if (!ia || !ib || !prev || !cur) {
            PyErr_NoMemory();
            goto done;
        }
    }
    if (!numbers(a, la, ia) || !numbers(b, lb, ib)) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    /* the normaliser: each string's indel costs summed left to right, as sum() does */
    double norm_a = 0.0, norm_b = 0.0;
    for (Py_ssize_t i = 0; i < la; i++)
        norm_a += indel[ia[i]];
    for (Py_ssize_t j = 0; j < lb; j++)
        norm_b += indel[ib[j]];
    double norm = norm_b > norm_a ? norm_b : norm_a;
    if (norm == 0.0) { /* Python would raise: let it */
        result = Py_NewRef(Py_None);
        goto done;
    }
    double dist = 0.0;
    if (PyUnicode_Compare(a, b) != 0) {
        prev[0] = 0.0;
        for (Py_ssize_t j = 0; j < lb; j++)
            prev[j + 1] = prev[j] + indel[ib[j]];
        for (Py_ssize_t i = 0; i < la; i++) {
            double del = indel[ia[i]];
            const double *row = sub + ia[i] * n;
            double left = prev[0] + del;
            cur[0] = left;
            for (Py_ssize_t j = 0; j < lb; j++) {
                double best = prev[j + 1] + del;
                double other = left + indel[ib[j]];
                if (other < best)
                    best = other;
                other = prev[j] + row[ib[j]];
                if (other < best)
                    best = other;
                cur[j + 1] = best;
                left = best;
            }
            double *t = prev;
            prev = cur;
            cur = t;
        }
        dist = prev[lb];
    }
    double sim = 1.0 - dist / norm;
    result = PyFloat_FromDouble(sim > 0.0 ? sim : 0.0);
done:
    if (ia != stack_a) {
        PyMem_Free(ia);
        PyMem_Free(ib);
        /* prev and cur were swapped an unknown number of times: free both by value */
        PyMem_Free(prev);
        PyMem_Free(cur);
    }
    return result;
}

static PyMethodDef methods[] = {
    {"set_costs", set_costs, METH_VARARGS,
     "set_costs(indel, sub, n, first): phoneme costs as float64 bytes (n, then n x n)"},
    {"similarity", similarity, METH_VARARGS,
     "similarity(a, b): respell.phonetics.phoneme_similarity, or None if a phoneme has no costs"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_phonedist", "The phoneme edit distance in C.", -1, methods,
};

PyMODINIT_FUNC
PyInit__phonedist(void)
{
    return PyModule_Create(&module);
}
