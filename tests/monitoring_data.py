"""The small hand-made participant and evaluation data both completion tests use."""

PARTICIPANTS = """\
id,name,economy,sex,organisation,sector,role,days_attended,apec_funded,evaluation_returned
P1,Ana Reyes,Chile,female,Ministry A,government,speaker,2,yes,yes
P2,Ben Soto,Chile,male,Firm B,business,participant,2,no,yes
P3,Chi Nguyen,Viet Nam,female,University C,academia,participant,1,no,yes
P4,Dan Tran,Viet Nam,male,Ministry D,government,participant,2,no,no
P5,Eri Sato,Japan,female,Association E,other,organiser,2,no,yes
P6,Fumio Ito,Japan,male,Ministry F,government,speaker,2,yes,no
P7,Gia Le,Viet Nam,male,Firm G,business,speaker,2,no,no
"""
EVALUATIONS = """\
participant,economy,sex,objectives,relevance,content,gender,experts,materials,time,knowledge_before,knowledge_after,apply,apec_next,suggestions
P1,Chile,female,5,5,4,3,5,4,2,3,5,Use it at home,,
P2,Chile,male,4,5,4,,5,4,3,2,4,,More workshops,
P3,Viet Nam,female,3,4,5,2,4,5,3,2,2,,,Longer sessions
P5,Japan,female,5,4,4,4,5,5,3,4,3,,,
"""
