"""Two Rasa components of ours that do what Rasa's do, with a lighter load (run inside Rasa).

Profiling showed where a Rasa 3.6 server spends its start and its messages (`BENCHMARKS.md`):

- `DIETClassifier` rebuilds its model at load time by *training it on one example* (to create its
  weights) before reading the trained weights: TensorFlow then builds the whole training graph, with
  gradients and optimizer state, which took two thirds of the start (about 35 s on 2 cores) and
  hundreds of MB that the server never uses. `FastLoadingDIETClassifier` trains exactly like
  `DIETClassifier`; at load time it reads the weights and creates them by running one prediction,
  so TensorFlow only builds the prediction graph. Its predictions are the same (tested).
- `SpacyNLP` loads spaCy's French pipeline without its parser but with its named-entity recogniser,
  half of spaCy's time per message, although no component here uses spaCy's entities. Ours also
  leaves the recogniser out; tokens, lemmas and vectors, which the pipeline uses, are unchanged.
  Rasa finds the spaCy provider of `SpacyTokenizer` and `SpacyFeaturizer` by class name, so ours is
  also named `SpacyNLP` (importing this module registers it in its place).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.nlu.utils import spacy_utils
from rasa.utils.tensorflow.model_data import RasaModelData


class FastLoadingDIET(DIET):
    """DIET's TensorFlow model, loaded without building its training graph (except to fine-tune)."""

    @classmethod
    def load(cls, model_file_name: str, model_data_example: RasaModelData,
             predict_data_example: RasaModelData | None = None, finetune_mode: bool = False,
             *args: Any, **kwargs: Any) -> DIET:
        if finetune_mode or predict_data_example is None:
            return super().load(model_file_name, model_data_example, predict_data_example, finetune_mode,
                                *args, **kwargs)
        model = cls(*args, **kwargs)
        model.load_weights(model_file_name).expect_partial()  # each weight is restored as it is created
        model.run_inference(predict_data_example)  # creates the prediction weights, traces the graph
        return model


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class FastLoadingDIETClassifier(DIETClassifier):
    """`DIETClassifier`, with the fast loading above."""

    @staticmethod
    def model_class() -> type[DIET]:
        return FastLoadingDIET


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MODEL_LOADER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False,
    model_from="SpacyNLP",
)
class SpacyNLP(spacy_utils.SpacyNLP):
    """Rasa's `SpacyNLP` without spaCy's entity recogniser."""

    @staticmethod
    def load_model(spacy_model_name: str) -> spacy_utils.SpacyModel:
        model = spacy_utils.SpacyNLP.load_model(spacy_model_name)  # parser already disabled
        model.model.disable_pipe("ner")
        return model
