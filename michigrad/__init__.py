# Generado a partir de los capítulos del libro: 06-activaciones.md.
# No editar a mano: los cambios se hacen en los capítulos y se exportan
# con `make export` (o al construir el libro).
# huella: sha256:5c133331ccf82a7ffb4b591a96191272fa7ee6d837978dfa06863f59ae58756c

"""michigrad: un motor de autograd escalar, con una pequeña biblioteca de redes neuronales."""

from michigrad.engine import Value
from michigrad.testing import gradcheck
