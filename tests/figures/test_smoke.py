import datetime

import pytest

from adelante.figures.committed import committed


@pytest.mark.django_db
def test_empty_record_commits_nothing():
    result = committed(datetime.date(2023, 2, 6))
    assert result.amount_usd == 0
    assert result.commitments == 0
