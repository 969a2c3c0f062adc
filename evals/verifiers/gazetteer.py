"""Which names point at the same actor, and which name a state rather than a person or a body.

The lexical verifier compares who a claim names with who its source names. "Kyiv", "Ukrainian" and
"Ukraine" are one actor; "the United States" is one name, not "United" and "States"; and an actor
the source swapped out is replaced by one of the same kind (Canada for the United States, Hegseth
for Rubio), so the kind is worth knowing.

The table covers every state, not only those of the labelled topics: a check written for four topics
has to read the next topic's "Kigali", "Laotian" or "Phnom Penh" as well.
"""

from __future__ import annotations

import re

# Each state as one folded name, then the demonyms, capitals and other names that stand for it ("the
# Kremlin", "the White House"). Forms of several words are folded before words are split.
_STATES = """
    afghanistan|afghan,afghans,kabul
    albania|albanian,albanians,tirana
    algeria|algerian,algerians,algiers
    andorra|andorran
    angola|angolan,angolans,luanda
    antigua|antiguan
    argentina|argentine,argentinian,argentines,buenos aires
    armenia|armenian,armenians,yerevan
    australia|australian,australians,canberra
    austria|austrian,austrians,vienna
    azerbaijan|azerbaijani,azerbaijanis,azeri,azeris,baku
    bahamas|bahamian,nassau
    bahrain|bahraini,bahrainis,manama
    bangladesh|bangladeshi,bangladeshis,dhaka
    barbados|barbadian,bridgetown
    belarus|belarusian,belarusians,minsk
    belgium|belgian,belgians,brussels
    belize|belizean
    benin|beninese,porto-novo,cotonou
    bhutan|bhutanese,thimphu
    bolivia|bolivian,bolivians,la paz,sucre
    bosnia|bosnian,bosnians,sarajevo,bosnia and herzegovina
    botswana|botswanan,motswana,gaborone
    brazil|brazilian,brazilians,brasilia
    brunei|bruneian
    bulgaria|bulgarian,bulgarians
    burkina|burkinabe,ouagadougou,burkina faso
    burundi|burundian,burundians,gitega,bujumbura
    cambodia|cambodian,cambodians,phnom penh
    cameroon|cameroonian,cameroonians,yaounde
    canada|canadian,canadians,ottawa
    capeverde|cape verde,cabo verde,cape verdean,praia
    centralafrica|central african republic,bangui
    chad|chadian,chadians,n'djamena,ndjamena
    chile|chilean,chileans,santiago
    china|chinese,beijing
    colombia|colombian,colombians,bogota
    comoros|comorian,moroni
    drc|congolese,kinshasa,congo,democratic republic of the congo,democratic republic of congo,dr congo
    brazzaville|republic of the congo,congo-brazzaville
    costarica|costa rica,costa rican,san jose
    ivorycoast|ivory coast,cote d'ivoire,ivorian,ivorians,abidjan,yamoussoukro
    croatia|croatian,croatians,croat,croats,zagreb
    cuba|cuban,cubans,havana
    cyprus|cypriot,cypriots,nicosia
    czechia|czech,czechs,prague,czech republic
    denmark|danish,dane,danes,copenhagen
    djibouti|djiboutian
    dominicanrepublic|dominican republic,dominican,santo domingo
    ecuador|ecuadorian,ecuadorians,quito
    egypt|egyptian,egyptians,cairo
    elsalvador|el salvador,salvadoran,salvadorans,san salvador
    equatorialguinea|equatorial guinea,equatoguinean,malabo
    eritrea|eritrean,eritreans,asmara
    estonia|estonian,estonians,tallinn
    eswatini|swazi,mbabane,swaziland
    ethiopia|ethiopian,ethiopians,addis ababa
    fiji|fijian,suva
    finland|finnish,finn,finns,helsinki
    france|french,paris,elysee
    gabon|gabonese,libreville
    gambia|gambian,banjul
    georgia|georgian,georgians,tbilisi
    germany|german,germans,berlin
    ghana|ghanaian,ghanaians,accra
    greece|greek,greeks,athens
    grenada|grenadian
    guatemala|guatemalan,guatemalans,guatemala city
    guinea|guinean,guineans,conakry
    guineabissau|guinea-bissau,bissau
    guyana|guyanese,georgetown
    haiti|haitian,haitians,port-au-prince
    honduras|honduran,hondurans,tegucigalpa
    hungary|hungarian,hungarians,budapest
    iceland|icelandic,icelanders,reykjavik
    india|indian,indians,delhi,new delhi
    indonesia|indonesian,indonesians,jakarta
    iran|iranian,iranians,tehran
    iraq|iraqi,iraqis,baghdad
    ireland|irish,dublin
    israel|israeli,israelis
    italy|italian,italians,rome
    jamaica|jamaican,jamaicans,kingston
    japan|japanese,tokyo
    jordan|jordanian,jordanians,amman
    kazakhstan|kazakh,kazakhs,astana
    kenya|kenyan,kenyans,nairobi
    kiribati|tarawa
    kosovo|kosovar,kosovars,pristina
    kuwait|kuwaiti,kuwaitis,kuwait city
    kyrgyzstan|kyrgyz,bishkek
    laos|laotian,laotians,lao,vientiane
    latvia|latvian,latvians,riga
    lebanon|lebanese,beirut
    lesotho|basotho,maseru
    liberia|liberian,liberians,monrovia
    libya|libyan,libyans,tripoli
    liechtenstein|vaduz
    lithuania|lithuanian,lithuanians,vilnius
    luxembourg|luxembourger
    madagascar|malagasy,antananarivo
    malawi|malawian,malawians,lilongwe
    malaysia|malaysian,malaysians,kuala lumpur,putrajaya
    maldives|maldivian
    mali|malian,malians,bamako
    malta|maltese,valletta
    mauritania|mauritanian,nouakchott
    mauritius|mauritian,port louis
    mexico|mexican,mexicans,mexico city
    micronesia|micronesian
    moldova|moldovan,moldovans,chisinau
    monaco|monegasque
    mongolia|mongolian,mongolians,ulaanbaatar
    montenegro|montenegrin,podgorica
    morocco|moroccan,moroccans,rabat
    mozambique|mozambican,mozambicans,maputo
    myanmar|burmese,burma,naypyidaw,naypyitaw
    namibia|namibian,windhoek
    nepal|nepali,nepalese,kathmandu
    netherlands|dutch,amsterdam,the hague,hague
    zealand|new zealand,new zealander,new zealanders,wellington
    nicaragua|nicaraguan,managua
    niger|nigerien,niamey
    nigeria|nigerian,nigerians,abuja
    pyongyang|north korea,north korean,north koreans,dprk
    northmacedonia|north macedonia,macedonian,skopje
    norway|norwegian,norwegians,oslo
    oman|omani,omanis,muscat
    pakistan|pakistani,pakistanis,islamabad
    palau|palauan
    palestine|palestinian,palestinians,ramallah
    panama|panamanian,panama city
    papua|papua new guinea,port moresby
    paraguay|paraguayan,asuncion
    peru|peruvian,peruvians,lima
    philippines|philippine,filipino,filipinos,manila
    poland|polish,warsaw
    portugal|portuguese,lisbon
    qatar|qatari,qataris,doha
    romania|romanian,romanians,bucharest
    russia|russian,russians,moscow,kremlin
    rwanda|rwandan,rwandans,kigali
    samoa|samoan,apia
    sanmarino|san marino
    saudi|saudis,riyadh,saudi arabia,saudi arabian
    senegal|senegalese,dakar
    serbia|serbian,serbians,serb,serbs,belgrade
    seychelles|seychellois
    sierra|sierra leone,sierra leonean,freetown
    singapore|singaporean,singaporeans
    slovakia|slovak,slovaks,bratislava
    slovenia|slovenian,slovene,ljubljana
    solomon|solomon islands,honiara
    somalia|somali,somalis,mogadishu
    southafrica|south africa,south african,south africans,pretoria
    korea|south korea,south korean,south koreans,korean,koreans,seoul,republic of korea
    southsudan|south sudan,south sudanese,juba
    spain|spanish,spaniard,spaniards,madrid
    srilanka|sri lanka,sri lankan,sri lankans,colombo
    sudan|sudanese,khartoum
    suriname|surinamese,paramaribo
    sweden|swedish,swede,swedes,stockholm
    switzerland|swiss,bern,geneva
    syria|syrian,syrians,damascus
    taiwan|taiwanese,taipei
    tajikistan|tajik,tajiks,dushanbe
    tanzania|tanzanian,tanzanians,dodoma,dar es salaam
    thailand|thai,thais,bangkok
    timor|timor-leste,east timor,timorese,dili
    togo|togolese,lome
    tonga|tongan
    trinidad|trinidad and tobago,trinidadian
    tunisia|tunisian,tunisians,tunis
    turkey|turkish,turks,turkiye,ankara
    turkmenistan|turkmen,ashgabat
    tuvalu|tuvaluan
    uganda|ugandan,ugandans,kampala
    ukraine|ukrainian,ukrainians,kyiv,kiev
    uae|emirati,emiratis,abu dhabi,united arab emirates
    britain|british,briton,britons,london,united kingdom,great britain,uk,downing street
    us|american,americans,washington,u.s,united states,united states of america,usa,white house,pentagon
    uruguay|uruguayan,montevideo
    uzbekistan|uzbek,uzbeks,tashkent
    vanuatu|port vila
    vatican|holy see,vatican city
    venezuela|venezuelan,venezuelans,caracas
    vietnam|vietnamese,hanoi,viet nam
    yemen|yemeni,yemenis,sanaa
    zambia|zambian,zambians,lusaka
    zimbabwe|zimbabwean,zimbabweans,harare
"""

# Names that are not states but fold all the same.
_OTHERS = {
    "european": "europe", "europeans": "europe", "united nations": "UN",
    "people's republic of china": "PRC", "republic of china": "ROC", "march 23 movement": "M23",
    "congo river alliance": "AFC",
}  # fmt: skip

SAME_ACTOR: dict[str, str] = {}
_MULTIWORD: dict[str, str] = {}


def _fold(alias: str, actor: str) -> None:
    """One word folds after words are split; several are replaced in the text first, by one word."""
    if " " in alias:
        _MULTIWORD[alias] = actor.capitalize() if actor.islower() else actor
    else:
        SAME_ACTOR[alias] = actor.lower()


_state_names = []
for _line in _STATES.strip().splitlines():
    _state, _, _aliases = _line.strip().partition("|")
    _state_names.append(_state)
    for _alias in _aliases.split(","):
        _fold(_alias, _state)
for _alias, _actor in _OTHERS.items():
    _fold(_alias, _actor)

STATES = frozenset(_state_names)

# Longest first, so "democratic republic of the congo" is read before "republic of the congo".
_MULTIWORD_RE = re.compile(
    r"\b(?:the\s+)?(" + "|".join(map(re.escape, sorted(_MULTIWORD, key=len, reverse=True))) + r")\b",
    re.IGNORECASE,
)

_DOTTED = re.compile(r"\bU\.S\.(?:A\.)?|\bU\.K\.")


def fold_multiword(text: str) -> str:
    """ "the United States" and "U.S." read as "Us", "Phnom Penh" as "Cambodia"."""
    text = _DOTTED.sub(lambda m: "UK" if "K" in m.group() else "US", text)
    return _MULTIWORD_RE.sub(lambda m: _MULTIWORD[m.group(1).lower()], text)


def kind(name: str) -> str:
    """ "state" for a country, "other" for a person, body, place or anything else."""
    return "state" if name in STATES else "other"
