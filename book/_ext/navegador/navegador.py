"""Ayudas para ejecutar los capítulos del libro en el navegador (JupyterLite + Pyodide).

`preparar()` lo llama la primera celda de cada cuaderno de la edición interactiva (la agrega
`book/_ext/lite.py`, que empaqueta este módulo como la rueda `navegador`). Hace dos cosas:

1. Celdas con la etiqueta ``raises-exception`` (errores mostrados a propósito): muestran su
   error pero no detienen "Run All". JupyterLite 0.8 cancela todas las celdas en cola ante
   cualquier error, sin mirar esa etiqueta (JupyterLab sí la respeta con un kernel normal).
2. Celdas con la etiqueta ``sin-navegador`` (PyTorch, que no existe en Pyodide, o grafos
   demasiado profundos para la pila del navegador): no se ejecutan; imprimen su aviso y vuelven
   a mostrar las salidas publicadas que la construcción guardó en los metadatos de la celda
   (``metadata.navegador``).

El kernel de Pyodide recibe con cada ``execute_request`` los metadatos de la celda (JupyterLab
los manda, etiquetas incluidas); aquí se leen de ``pyodide_kernel.kernel_instance._parent_header``.
"""

import sys

ETIQUETA_ERROR = "raises-exception"
ETIQUETA_SIN_NAVEGADOR = "sin-navegador"
AVISO = ("⚠ Esta celda usa PyTorch, que no está disponible en el navegador: no se ejecuta aquí. "
         "Abajo, la salida que produjo al construir el libro.")


def _metadatos():
    """Los metadatos de la celda que se está ejecutando ({} fuera de JupyterLite)."""
    try:
        import pyodide_kernel
        parent = pyodide_kernel.kernel_instance._parent_header
        return dict(parent.get("metadata") or {})
    except Exception:
        return {}


def _etiquetas():
    return list(_metadatos().get("tags") or [])


def _manejar_error(shell, etype, value, tb, tb_offset=None):
    if ETIQUETA_ERROR in _etiquetas():
        stb = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
        print(shell.InteractiveTB.stb2text(stb), file=sys.stderr)
        return None                      # el kernel responde "ok": la cola sigue
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
    return None


def _omitir_sin_navegador(lines):
    if ETIQUETA_SIN_NAVEGADOR in _etiquetas():
        return ["import navegador as _nav\n", "_nav._salidas_publicadas()\n"]
    return lines


def _salidas_publicadas():
    from IPython.display import display
    guardado = _metadatos().get("navegador") or {}
    print(guardado.get("aviso", AVISO))
    for out in guardado.get("salidas", []):
        kind = out.get("output_type")
        if kind == "stream":
            text = "".join(out.get("text", ""))
            print(text, end="", file=sys.stderr if out.get("name") == "stderr" else sys.stdout)
        elif kind in ("execute_result", "display_data"):
            data = {k: "".join(v) if isinstance(v, list) else v for k, v in out["data"].items()}
            display(data, raw=True)


def preparar():
    from IPython import get_ipython
    ip = get_ipython()
    ip.set_custom_exc((Exception,), _manejar_error)
    if _omitir_sin_navegador not in ip.input_transformers_post:
        ip.input_transformers_post.append(_omitir_sin_navegador)
