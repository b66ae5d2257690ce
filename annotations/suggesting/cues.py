"""Speech cues and the words around them, per language (Indonesian and English).

Every list is lower case and compared with a token's lower-cased text without a trailing
period. The lists are what a news desk uses; extend them here, nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class Lexicon:
    language: str
    # Cues that come before their speaker right after a quote: "…," kata Budi / said Budi.
    cue_first: frozenset[str]
    # Verbs that follow their speaker: Budi mengatakan / Budi said. Also introduce content.
    speech_verbs: frozenset[str]
    # Verbs whose addressee comes before the content: "told reporters (that) …".
    addressee_verbs: frozenset[str]
    # Prepositional cues, as word sequences: menurut X / according to X.
    prepositions: tuple[tuple[str, ...], ...]
    complementizers: frozenset[str]
    # A clitic pronoun joined to a cue: kata|nya, tambah|nya, menurut|nya.
    clitic: str | None
    pronouns: frozenset[str]
    plural_pronouns: frozenset[str]
    determiners: frozenset[str]
    # Words between a speaker and the cue (or the cue and the content) that change nothing.
    adverbs: frozenset[str]
    # Words that end a speaker named after its cue: "kata Budi kepada wartawan".
    stop_words: frozenset[str]
    # Words joining a nominal speaker: "seorang pejabat dari NATO", "a spokeswoman for".
    connectors: frozenset[str]
    # Roles and honorifics before a name: not part of the PER span.
    titles: frozenset[str]
    # Capitalised words inside a title phrase that are not names: "Luar Negeri", "Selatan".
    modifiers: frozenset[str]
    # Words that make a capitalised phrase an organisation.
    org_words: frozenset[str]
    # Heads of nominal speakers that are organisations: "the company", "pemerintah".
    org_heads: frozenset[str]
    # Demonstratives that make a nominal speaker refer back: "pemain itu", "the judge".
    anaphoric: frozenset[str]
    # Words before a place name: the next capitalised word is not a person.
    place_words: frozenset[str]
    # Prepositions of place: a capitalised word after one anywhere in the text is a place.
    locatives: frozenset[str]
    # Opening words of a sentence that are not part of a speaker.
    openers: frozenset[str]


_ID_STEMS = _words(
    """kata ujar ucap tutur ungkap jelas tegas tambah imbuh sebut terang papar lanjut pungkas
    tandas seru tanya sambung kilah jawab cetus beber urai timpal tulis bilang pinta ulas tukas
    sergah tutup kenang akui aku"""
)

INDONESIAN = Lexicon(
    language="id",
    cue_first=_ID_STEMS,
    speech_verbs=_words(
        """mengatakan menyatakan menegaskan menjelaskan mengungkapkan mengungkap menyebut
        menyebutkan menambahkan menuturkan menerangkan memaparkan mengaku mengakui menilai
        menyampaikan mengklaim membantah memperingatkan mengingatkan menekankan menandaskan
        memastikan memperkirakan menduga meyakini berpendapat mengemukakan menginformasikan
        berkata bertanya menanyakan menulis mencuit berujar melanjutkan mengimbau menceritakan
        mengisahkan bercerita menjawab mengeluhkan menyesalkan mengucapkan menuding"""
    ),
    addressee_verbs=frozenset(),
    prepositions=(("menurut",),),
    complementizers=_words("bahwa"),
    clitic="nya",
    pronouns=_words("ia dia beliau"),
    plural_pronouns=_words("mereka"),
    determiners=_words("seorang sejumlah para salah satu beberapa sang si pihak"),
    adverbs=_words(
        """juga pun kemudian lalu lantas pula sempat telah sudah akan kembali sebelumnya masih
        tetap justru bahkan secara terpisah langsung"""
    ),
    stop_words=_words(
        """kepada pada di saat ketika dalam usai seusai sebagaimana seperti melalui lewat dengan
        sambil sembari kemarin lagi yang dilansir dikutip selepas setelah sebelum menanggapi
        kala tatkala soal terkait mengenai tentang via seraya sesaat penuh ketika senin selasa
        rabu kamis jumat jum'at sabtu minggu usai dari"""
    ),
    connectors=_words("dari di untuk pada asal"),
    titles=_words(
        """presiden wakil wapres menteri menko mendagri menkeu menlu menhan menkes mendikbud
        sekjen sekretaris jenderal kepala ketua direktur dirut dirjen gubernur wagub bupati wabup
        wali walikota camat lurah kapolri kapolda kapolres kapolresta kapolsek kasat
        kasatreskrim kasatlantas kasubdit kabid kabag kadis kadinkes jubir juru bicara kombes
        akbp akp iptu ipda aiptu brigjen irjen komjen mayjen letjen laksamana marsekal kolonel
        letkol mayor kapten pj plt dr prof ir drs hj kh ustaz ustadz habib pelatih manajer deputi
        asisten staf koordinator pengamat ekonom psikolog dokter anggota komisioner hakim jaksa
        pengacara kuasa prakirawan kasi humas panglima kapuspen danrem dandim pangdam rektor dekan
        dosen peneliti guru gelandang penyerang bek kiper striker pemain aktor aktris sutradara
        penyanyi warga pedagang nelayan petani siswa siswi mahasiswa korban saksi tersangka
        terdakwa senator vice president secretary chief executive officer ceo direktur utama
        pemeran"""
    ),
    modifiers=_words(
        """luar negeri dalam keuangan kesehatan pendidikan kebudayaan perhubungan perdagangan
        perindustrian pertanian pertahanan keamanan agama sosial hukum ham bidang urusan umum
        selatan utara barat timur tengah raya metro kota kabupaten provinsi daerah negara
        nasional republik kebencanaan pusat data informasi komunikasi statistik distribusi jasa
        perekonomian pembangunan perencanaan lingkungan hidup kehutanan kelautan perikanan
        energi sumber daya mineral pariwisata ekonomi kreatif tenaga kerja ketenagakerjaan
        perumahan rakyat pekerjaan pemuda olahraga riset teknologi tinggi desa transmigrasi
        investasi hubungan masyarakat operasional corporate eksekutif pengawas perilaku pelaku
        usaha reserse kriminal narkoba resnarkoba lalu lintas stasiun meteorologi klimatologi
        geofisika maritim bandara pelabuhan dan serta utama umum khusus bagian divisi
        commuter"""
    ),
    org_words=_words(
        """kementerian kemenkes kemendag kemenkeu kemlu dinas dinkes disdik badan komisi polres
        polresta polda polsek polri mabes kejaksaan kejati kejari pengadilan mahkamah universitas
        institut sekolah bank pt cv satgas pemprov pemkot pemkab pemerintah sekretariat
        direktorat lembaga partai fraksi yayasan perusahaan koperasi asosiasi himpunan persatuan
        federasi kantor balai puskesmas rsud rs komnas ombudsman otoritas"""
    ),
    org_heads=_words(
        """pemerintah polisi kepolisian kementerian perusahaan pihak manajemen panitia dinas
        badan lembaga partai"""
    ),
    anaphoric=_words("itu tersebut"),
    place_words=_words(
        """kota kabupaten provinsi kecamatan desa kelurahan jalan pulau pantai stasiun pasar
        bandara pelabuhan gunung sungai kali teluk selat wilayah kawasan"""
    ),
    locatives=_words("di ke dari"),
    openers=_words(
        """sementara itu namun tetapi adapun selain kemudian lalu dan sedangkan sebelumnya
        hal senada terpisah di tempat"""
    ),
)

ENGLISH = Lexicon(
    language="en",
    cue_first=_words(
        """said says added adds asked asks wrote writes explained explains continued replied
        insisted recalled noted warned tweeted posted"""
    ),
    speech_verbs=_words(
        """said says told tells added adds asked asks wrote writes explained explains warned
        warns insisted insists noted notes recalled recalls replied argued argues claimed
        claims stated announced acknowledged admitted confirmed confirms stressed emphasised
        emphasized suggested predicted estimated reported testified complained continued
        countered responded remarked declared urged cautioned maintained contended posted
        tweeted believes say tell add ask write explain warn insist note argue claim believe
        predict estimate urge"""
    ),
    addressee_verbs=_words("told tells tell"),
    prepositions=(("according", "to"),),
    complementizers=_words("that"),
    clitic=None,
    pronouns=_words("he she"),
    plural_pronouns=_words("they"),
    determiners=_words("a an the one two some several many its his her their our both"),
    adverbs=_words(
        """also later then previously earlier have has had will would once repeatedly again
        further separately recently since has"""
    ),
    stop_words=_words(
        """on in at to during after before when while as via speaking adding who which whose
        from last this yesterday today tonight earlier later told according"""
    ),
    connectors=_words("of for in at from with"),
    titles=_words(
        """president vice prime minister secretary secretary-general chancellor governor mayor
        senator sen rep representative congressman congresswoman councilor councillor
        councilman councilwoman judge justice chief executive ceo cfo director chairman
        chairwoman chair chairperson commissioner inspector detective det sgt sergeant officer
        capt captain lt lieutenant col colonel gen general admiral adm dr prof professor mr mrs
        ms miss mx sir dame lord lady rev reverend father pope king queen prince princess sheikh
        coach manager goalkeeper striker midfielder defender prosecutor attorney lawyer
        spokesman spokeswoman spokesperson leader speaker ambassador deputy assistant acting
        former senior economist analyst supt superintendent constable commander head founder
        co-founder organiser organizer editor dean rector researcher scientist biologist
        professor captain agent"""
    ),
    modifiers=_words(
        """the of for and state city county national federal foreign affairs defence defense
        health finance interior home office justice police fire public works transport
        transportation environment agriculture education trade energy security homeland general
        deputy north south east west northern southern eastern western central regional
        managing"""
    ),
    org_words=_words(
        """ministry department agency council commission university college institute
        association union party court police office bureau committee federation organization
        organisation company corporation corp inc ltd llc plc group fund authority service
        services board network coalition alliance club fc foundation society centre center
        hospital school bank trust government administration embassy army navy force forces
        league parliament congress senate cabinet secretariat"""
    ),
    org_heads=_words(
        """company firm ministry department government police union agency campaign campaigns
        party council administration statement organization organisation association"""
    ),
    anaphoric=_words("the"),
    place_words=_words("city county province state street road avenue port island lake river"),
    locatives=_words("in at from near"),
    openers=_words("but and meanwhile however separately also"),
)

LEXICONS: dict[str, Lexicon] = {"id": INDONESIAN, "en": ENGLISH}
