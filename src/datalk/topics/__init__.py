"""The region's 20 thematic areas: topic YAMLs, their indicator tables and chart views."""

from datalk.topics.data import TopicData, Unavailable
from datalk.topics.params import PageState, resolve
from datalk.topics.registry import all_topics, get_topic
from datalk.topics.spec import TopicSpec

__all__ = ["PageState", "TopicData", "TopicSpec", "Unavailable", "all_topics", "get_topic", "resolve"]
