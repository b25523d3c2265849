"""¿Cuánto ganaría la construcción ejecutando capítulos en paralelo?

    .venv/bin/python benchmarks/capitulos.py [--trabajadores 1 2]

Ejecuta los capítulos numerados como los ejecuta la construcción (cada uno sobre el paquete
de los capítulos anteriores, con `book/_ext/run_chapter.py`), primero de a uno y después con
varios procesos a la vez, y muestra el tiempo de pared de cada corrida. Los capítulos más
lentos arrancan primero, para que ninguno quede solo al final. Se comparan tiempos medidos en
la misma corrida: en una máquina ruidosa, lo que vale es el cociente.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNNER = ROOT / "book" / "_ext" / "run_chapter.py"
# Los más lentos en la última construcción (ver las líneas «[michigrad] …» de `make book`).
SLOW_FIRST = ("11-", "08-", "10-")


def run(chapter: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, str(RUNNER), str(chapter)],
                            capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise RuntimeError(f"{chapter.name} falló:\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trabajadores", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    chapters = sorted((ROOT / "book").glob("[0-9][0-9]-*.md"),
                      key=lambda p: (not p.name.startswith(SLOW_FIRST), p.name))
    for workers in args.trabajadores:
        started = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            total = sum(pool.map(run, chapters))
        wall = time.perf_counter() - started
        print(f"{workers} proceso(s): {wall:6.1f} s de pared para {len(chapters)} capítulos "
              f"(suma de los capítulos: {total:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
