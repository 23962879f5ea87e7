<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AttentionPanel</name>
    <message numerus="yes">
        <location filename="../../ui/attention_panel.py" line="+428"/>
        <source>%n change(s) did not reach the central as made. What they changed on this PC was put back; the rest of your work was sent.</source>
        <translation>
            <numerusform>%n change did not reach the central as made. What it changed on this PC was put back; the rest of your work was sent.</numerusform>
            <numerusform>%n changes did not reach the central as made. What they changed on this PC was put back; the rest of your work was sent.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+26"/>
        <source>%n field(s) in conflict.</source>
        <translation>
            <numerusform>%n field in conflict.</numerusform>
            <numerusform>%n fields in conflict.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EditorFooter</name>
    <message numerus="yes">
        <location filename="../../ui/editor_frame.py" line="+206"/>
        <source>%n field(s)</source>
        <translation>
            <numerusform>%n field</numerusform>
            <numerusform>%n fields</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n history row(s)</source>
        <translation>
            <numerusform>%n history row</numerusform>
            <numerusform>%n history rows</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../../ui/main_window.py" line="+180"/>
        <source>%n change(s) not yet sent to the central</source>
        <extracomment>Tables whose pulled rows change what the personnel list shows. The user opened a person of the list: their id. The user asked for a new person (Ctrl+N). What waits when the user quits: (ops not yet at the central, drafts not yet sent for approval); the start-up sets it. None: nothing is asked at quit.</extracomment>
        <translation>
            <numerusform>%n change not yet sent to the central</numerusform>
            <numerusform>%n changes not yet sent to the central</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n draft(s) not yet sent for approval</source>
        <translation>
            <numerusform>%n draft not yet sent for approval</numerusform>
            <numerusform>%n drafts not yet sent for approval</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PeopleList</name>
    <message numerus="yes">
        <location filename="../../ui/people_list.py" line="+270"/>
        <source>%Ln people</source>
        <translation>
            <numerusform>%Ln person</numerusform>
            <numerusform>%Ln people</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PersonEditor</name>
    <message numerus="yes">
        <location filename="../../ui/person_editor.py" line="+500"/>
        <source>Not sent: %n field(s) to fix.</source>
        <translation>
            <numerusform>Not sent: %n field to fix.</numerusform>
            <numerusform>Not sent: %n fields to fix.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReviewQueue</name>
    <message numerus="yes">
        <location filename="../../ui/review_queue.py" line="+166"/>
        <source>%n submission(s) waiting</source>
        <translation>
            <numerusform>%n submission waiting</numerusform>
            <numerusform>%n submissions waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+41"/>
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+30"/>
        <source>%n field(s) in conflict</source>
        <translation>
            <numerusform>%n field in conflict</numerusform>
            <numerusform>%n fields in conflict</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n field(s) also in another waiting</source>
        <translation>
            <numerusform>%n field also in another waiting</numerusform>
            <numerusform>%n fields also in another waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+72"/>
        <source>Approve these %n submission(s)?</source>
        <translation>
            <numerusform>Approve this submission?</numerusform>
            <numerusform>Approve these %n submissions?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+32"/>
        <source>Approved %n submission(s).</source>
        <translation>
            <numerusform>Approved %n submission.</numerusform>
            <numerusform>Approved %n submissions.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n left for a decision.</source>
        <translation>
            <numerusform>%n left for a decision.</numerusform>
            <numerusform>%n left for a decision.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SlotsPage</name>
    <message numerus="yes">
        <location filename="../../ui/office/slots.py" line="+183"/>
        <source>%n slot(s)</source>
        <translation>
            <numerusform>%n slot</numerusform>
            <numerusform>%n slots</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message numerus="yes">
        <location filename="../../ui/sync_status_bar.py" line="+163"/>
        <source>%n to send</source>
        <extracomment>The least of the reason that is worth showing (in average characters) before the bar takes two lines. How often &quot;5 min ago&quot; is brought up to date while the bar is shown. The user clicked the count of items needing attention.</extracomment>
        <translation>
            <numerusform>%n to send</numerusform>
            <numerusform>%n to send</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n to check</source>
        <translation>
            <numerusform>%n to check</numerusform>
            <numerusform>%n to check</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+94"/>
        <source>%n row(s) received</source>
        <translation>
            <numerusform>%n row received</numerusform>
            <numerusform>%n rows received</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+77"/>
        <source>%n min ago</source>
        <translation>
            <numerusform>%n min ago</numerusform>
            <numerusform>%n min ago</numerusform>
        </translation>
    </message>
</context>
</TS>
